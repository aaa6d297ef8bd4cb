/* The password checklist ticks each rule as the person types (an enhancement only: the server
 * checks every rule and lists every failing one). A rule is "met" or "not met" only once the
 * field has something in it; a polite live region says how many are met, after a pause. */
(function () {
  "use strict";
  var ACCENTED = /[\u00C0-\u024F\u1E00-\u1EFF]/;

  function count(text, test) {
    var total = 0;
    for (var i = 0; i < text.length; i += 1) {
      if (test(text.charAt(i))) {
        total += 1;
      }
    }
    return total;
  }

  function met(item, password, confirmation, login) {
    var minimum = parseInt(item.getAttribute("data-min") || "0", 10);
    switch (item.getAttribute("data-check")) {
      case "length": return password.length >= minimum;
      case "lower": return count(password, function (c) { return c >= "a" && c <= "z"; }) >= minimum;
      case "upper": return count(password, function (c) { return c >= "A" && c <= "Z"; }) >= minimum;
      case "digits": return count(password, function (c) { return c >= "0" && c <= "9"; }) >= minimum;
      case "special":
        var characters = item.getAttribute("data-characters") || "";
        return count(password, function (c) { return characters.indexOf(c) !== -1; }) >= minimum;
      case "accents": return !ACCENTED.test(password);
      case "login": return login === null ? null : password.toLowerCase() !== login.toLowerCase();
      case "confirmation": return confirmation === "" ? null : password === confirmation;
      default: return null;
    }
  }

  function setUp(list) {
    var password = document.getElementById(list.getAttribute("data-password"));
    var confirmation = document.getElementById(list.getAttribute("data-confirmation"));
    var status = list.parentNode.querySelector("[data-checklist-status]");
    var login = list.hasAttribute("data-login") ? list.getAttribute("data-login") : null;
    var items = list.querySelectorAll("li[data-check]");
    var pending = null;
    if (!password) {
      return;
    }
    list.classList.add("apart-checklist--live");

    function refresh() {
      var typed = password.value;
      var metCount = 0;
      var judged = 0;
      Array.prototype.forEach.call(items, function (item) {
        var state = typed === "" ? null : met(item, typed, confirmation ? confirmation.value : "", login);
        var label = item.querySelector("[data-check-state]");
        item.classList.toggle("apart-check--met", state === true);
        item.classList.toggle("apart-check--unmet", state === false);
        label.textContent = state === true ? " : respectée" : state === false ? " : non respectée" : "";
        if (state !== null) {
          judged += 1;
          metCount += state ? 1 : 0;
        }
      });
      if (pending) {
        clearTimeout(pending);
      }
      pending = setTimeout(function () {
        status.textContent = judged ? metCount + " contraintes respectées sur " + judged + "." : "";
      }, 1200);
    }

    password.addEventListener("input", refresh);
    if (confirmation) {
      confirmation.addEventListener("input", refresh);
    }
    refresh();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-password-checklist]"), setUp);
})();
