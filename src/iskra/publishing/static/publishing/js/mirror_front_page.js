/* The front page of a static copy: lead the reader to their language, as "/" does on
   the site (by the browser's languages; Russian when none of them is offered). */
(function () {
  "use strict";
  var offered = {};
  document.querySelectorAll("a[data-language]").forEach(function (link) {
    offered[link.getAttribute("data-language")] = link.href;
  });
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (tag) {
    return tag.toLowerCase().split("-")[0];
  });
  for (var i = 0; i < wanted.length; i++) {
    if (offered[wanted[i]]) {
      location.replace(offered[wanted[i]]);
      return;
    }
  }
  if (offered.ru) location.replace(offered.ru);
})();
