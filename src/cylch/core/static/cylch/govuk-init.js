// Starts GOV.UK Frontend's components (a module file, not inline, for the Content-Security-Policy). The bundle's
// address comes from this script element's data attribute: only the template knows its hashed static name.
const script = document.querySelector("script[data-govuk-frontend]");
import(script.dataset.govukFrontend).then(({ initAll }) => initAll());
