/* Iskra: the two small behaviours of the public site. No dependencies. */
(function () {
  "use strict";

  /* Copy attribution: a long copied passage gets the source line the reprint rule asks for. */
  function sourceLine(article) {
    var author = article.getAttribute("data-copy-author");
    var line = article.getAttribute("data-copy-label-source") + ": " + article.getAttribute("data-copy-source");
    if (author) line += ", " + article.getAttribute("data-copy-label-author") + ": " + author;
    return line;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  document.addEventListener("copy", function (event) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || !event.clipboardData) return;
    var node = selection.getRangeAt(0).commonAncestorContainer;
    var element = node.nodeType === 1 ? node : node.parentElement;
    var article = element && element.closest("[data-copy-attribution]");
    if (!article || article.getAttribute("data-copy-attribution") !== "on") return;
    var text = selection.toString();
    var threshold = parseInt(article.getAttribute("data-copy-threshold"), 10) || 200;
    if (text.length <= threshold) return;
    var holder = document.createElement("div");
    for (var i = 0; i < selection.rangeCount; i++) holder.appendChild(selection.getRangeAt(i).cloneContents());
    var source = article.getAttribute("data-copy-source");
    var line = sourceLine(article);
    var htmlLine = escapeHtml(line).replace(escapeHtml(source), '<a href="' + escapeHtml(source) + '">' + escapeHtml(source) + "</a>");
    event.clipboardData.setData("text/plain", text + "\n\n" + line);
    event.clipboardData.setData("text/html", holder.innerHTML + "<p>" + htmlLine + "</p>");
    event.preventDefault();
  });

  /* Video facade: the third-party player loads only after the reader asks for it. */
  document.addEventListener("click", function (event) {
    var facade = event.target.closest && event.target.closest(".video__facade");
    if (!facade) return;
    var figure = facade.closest("[data-video-embed]");
    if (!figure) return;
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = figure.getAttribute("data-video-embed");
    frame.title = facade.querySelector(".video__title").textContent;
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "video__frame";
    facade.replaceWith(frame);
    frame.focus();
  });
})();
