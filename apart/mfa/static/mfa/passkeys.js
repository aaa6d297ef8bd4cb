// Passkeys (WebAuthn): creation from « Double authentification », use at the login's second step.
// The server sends the options as JSON (base64url for binary fields) and checks the answer.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function fetchOptions(form) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(form.dataset.optionsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) { throw new Error("options refused"); }
      return response.json();
    });
  }

  function say(form, message) {
    var status = form.querySelector("[data-passkey-status]");
    if (status) { status.textContent = message; }
  }

  function unsupported(form) {
    if (window.PublicKeyCredential && navigator.credentials) { return false; }
    say(form, "Votre navigateur ne prend pas en charge les clés d'accès.");
    return true;
  }

  function register(form) {
    return fetchOptions(form).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || null,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
          clientDataJSON: toText(response.clientDataJSON),
          attestationObject: toText(response.attestationObject),
          transports: response.getTransports ? response.getTransports() : [],
        },
      };
    });
  }

  function authenticate(form) {
    return fetchOptions(form).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || null,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
          clientDataJSON: toText(response.clientDataJSON),
          authenticatorData: toText(response.authenticatorData),
          signature: toText(response.signature),
          userHandle: toText(response.userHandle),
        },
      };
    });
  }

  function wire(selector, ceremony, failure) {
    document.querySelectorAll(selector).forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var field = form.querySelector("input[name=credential]");
        if (field.value) { return; }  // the signed answer is in: let the form go
        event.preventDefault();
        if (unsupported(form)) { return; }
        var button = form.querySelector("button[type=submit]");
        button.disabled = true;
        ceremony(form).then(function (answer) {
          field.value = JSON.stringify(answer);
          form.submit();
        }).catch(function () {
          button.disabled = false;
          say(form, failure);
        });
      });
    });
  }

  wire("form[data-passkey-register]", register,
    "La clé d'accès n'a pas été créée (opération annulée ou refusée par l'appareil). Réessayez.");
  wire("form[data-passkey-login]", authenticate,
    "La clé d'accès n'a pas été utilisée (opération annulée ou clé inconnue). Réessayez ou saisissez un code.");
}());
