/* "Vorlesen": reads the offer aloud with the browser's own speech synthesis.
   Progressive enhancement: the button only appears where speechSynthesis exists and a
   voice for the page's language runs on the device (localService), so no text is sent
   anywhere. Each block is spoken in its own language: German fallback texts (lang="de")
   with a German voice. Labels come from data attributes, translated on the server. */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var article = document.querySelector("[data-read-aloud]");
  if (!synth || !window.SpeechSynthesisUtterance || !article) {
    return;
  }
  var button = null;

  function baseLanguage(code) {
    return String(code || "").toLowerCase().split(/[-_]/)[0];
  }

  function localVoice(lang) {
    var wanted = baseLanguage(lang);
    var voices = synth.getVoices().filter(function (voice) {
      return voice.localService && baseLanguage(voice.lang) === wanted;
    });
    return voices[0] || null;
  }

  function blocks() {
    var candidates = article.querySelectorAll("h1, h2, h3, p, li, dt, dd, address");
    return Array.prototype.filter.call(candidates, function (element) {
      return !element.querySelector("p, li, dt, dd") && !element.closest(".read-aloud, .review") &&
        element.textContent.trim() !== "";
    });
  }

  function reset() {
    button.textContent = article.getAttribute("data-read-aloud");
  }

  function stop() {
    synth.cancel();
    reset();
  }

  function start() {
    var last = null;
    blocks().forEach(function (element) {
      var holder = element.closest("[lang]") || document.documentElement;
      var voice = localVoice(holder.getAttribute("lang"));
      if (!voice) {
        return;
      }
      var utterance = new SpeechSynthesisUtterance(element.textContent.replace(/\s+/g, " ").trim());
      utterance.voice = voice;
      utterance.lang = voice.lang;
      synth.speak(utterance);
      last = utterance;
    });
    if (last) {
      last.onend = reset;
      button.textContent = article.getAttribute("data-read-stop");
    }
  }

  function setUp() {
    if (button || !localVoice(document.documentElement.lang)) {
      return;
    }
    button = document.createElement("button");
    button.type = "button";
    button.className = "read-aloud";
    reset();
    button.addEventListener("click", function () {
      if (synth.speaking || synth.pending) {
        stop();
      } else {
        start();
      }
    });
    article.querySelector("h1").insertAdjacentElement("afterend", button);
  }

  setUp();
  // Voices often arrive a moment after the page has loaded.
  if (synth.addEventListener) {
    synth.addEventListener("voiceschanged", setUp);
  }
  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
}());
