/* The "cite" control of the library's reading view: copies a citation of one paragraph
   (author, work, chapter, paragraph number, address with #p-N) in the page's language.
   Without JavaScript the paragraph number stays a plain link to its anchor. */
(function () {
  "use strict";
  var chapter = document.querySelector(".chapter[data-cite-work]");
  if (!chapter || !navigator.clipboard) return;
  var data = chapter.dataset;
  chapter.addEventListener("click", function (event) {
    var link = event.target.closest("a.cite");
    if (!link) return;
    event.preventDefault();
    var number = link.dataset.paragraph;
    var url = location.origin + location.pathname + "#p-" + number;
    var text = data.citeAuthor + ". " + data.citeWork + ". " + data.citeChapter + ", " +
      data.citeParagraph + " " + number + ". " + url;
    navigator.clipboard.writeText(text).then(function () {
      link.setAttribute("data-copied", "");
      link.title = data.citeCopied;
      window.setTimeout(function () { link.removeAttribute("data-copied"); }, 2000);
    });
  });
})();
