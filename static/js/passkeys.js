// The passkeys page: once a passkey is registered, load the page again so it is listed.
document.addEventListener("otp_webauthn.register_complete", function () {
  var placeholder = document.querySelector("[data-reload-url]");
  window.location.assign(placeholder ? placeholder.getAttribute("data-reload-url") : window.location.href);
});
