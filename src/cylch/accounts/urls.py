"""Signing in (password, then a second factor; or an agency's provider) and signing out."""

from django.urls import path

from cylch.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.two_factor, name="two-factor"),
    path("sign-in/set-up/", views.two_factor_set_up, name="two-factor-set-up"),
    path("sign-in/provider/", views.oidc_sign_in, name="oidc-sign-in"),
    path("sign-in/provider/callback/", views.oidc_callback, name="oidc-callback"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
