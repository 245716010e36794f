// Loaded first thing in <body> from a file, never inline, so the Content-Security-Policy needs no 'unsafe-inline'.
// GOV.UK Frontend's styles key off these classes, so they are set before the page is drawn.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
