// "Teilen": the phone's share sheet where the browser has one, otherwise copy the text.
// Without JavaScript the link and the text stay visible on the page to copy by hand.
(function () {
  "use strict";
  var text = document.querySelector(".share-text");
  if (!text) return;
  var actions = document.querySelector(".share-actions");
  var share = actions.querySelector(".share-native");
  var copy = actions.querySelector(".share-copy");
  if (navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      // The link goes as `url` only: apps put it after the text, so in the text it would come twice.
      var message = text.value.split("\n").filter(function (line) { return line.trim() !== text.dataset.url; }).join("\n");
      navigator.share({ title: text.dataset.title, text: message, url: text.dataset.url }).catch(function () {});
    });
  }
  if (navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(text.value).then(function () {
        copy.textContent = copy.dataset.done;
      }, function () { text.select(); });
    });
  }
  actions.hidden = share.hidden && copy.hidden;
})();
