/* "Créer mon espace", step 2: an enhancement only (the server checks everything anyway).
 * - ENVOYER stays disabled until every mandatory field and the captcha are filled (the guide:
 *   "le bouton reste légèrement grisé et non sélectionnable"). Without JavaScript it is enabled.
 * - Accents are removed from email addresses as soon as the field is left, with a notice. */
(function () {
  "use strict";
  var form = document.getElementById("registration-space-form");
  var submit = document.getElementById("registration-submit");
  var submitButtons = form ? form.querySelectorAll("[data-registration-submit]") : [];
  if (!form || !submit) {
    return;
  }
  var noticeText = form.getAttribute("data-accents-notice") || "";

  function mandatoryFields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.required && !element.readOnly && element.type !== "hidden";
    });
  }

  function filled(element) {
    if (element.type === "checkbox") {
      return element.checked;
    }
    return element.value.trim() !== "";
  }

  function refresh() {
    var missing = mandatoryFields().some(function (element) { return !filled(element); });
    Array.prototype.forEach.call(submitButtons, function (button) {
      button.disabled = missing;
    });
  }

  function withoutAccents(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function showAccentsNotice(input) {
    var id = input.id + "-desc-accents";
    if (document.getElementById(id)) {
      return;
    }
    var message = document.createElement("p");
    message.className = "fr-info-text";
    message.id = id;
    message.textContent = noticeText;
    input.insertAdjacentElement("afterend", message);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? described + " " + id : id);
  }

  Array.prototype.forEach.call(form.querySelectorAll("input[type=email]"), function (input) {
    input.addEventListener("change", function () {
      var cleaned = withoutAccents(input.value);
      if (cleaned !== input.value) {
        input.value = cleaned;
        showAccentsNotice(input);
      }
    });
  });

  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
