// The village view's next rows, loaded as the list is read: when the "more" link comes into
// view (or is tapped), the next page's rows are fetched (a small, compressed fragment) and
// appended to the table, so that every villager is reachable on one page. Without this
// script the link opens the next page instead.
(function () {
  "use strict";
  var link = document.getElementById("village-next");
  var body = document.getElementById("village-rows");
  var shown = document.getElementById("village-shown");
  if (!link || !body || !window.fetch) return;
  var total = shown ? shown.textContent.match(/\d+/g) : null;
  var busy = false;

  function load() {
    if (busy || !link.getAttribute("href")) return;
    busy = true;
    var query = link.getAttribute("href");
    fetch(link.getAttribute("data-rows") + query, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text().then(function (html) { return { html: html, more: r.headers.get("X-More") || "" }; });
      })
      .then(function (got) {
        body.insertAdjacentHTML("beforeend", got.html);
        if (shown && total && total.length > 1) {
          var n = body.querySelectorAll("tr").length;
          shown.textContent = shown.textContent.replace(total[0], String(n));
          total[0] = String(n);
        }
        if (got.more) {
          link.setAttribute("href", got.more);
        } else {
          link.remove();
          link = null;
          if (observer) observer.disconnect();
        }
        busy = false;
        if (link && visible) load();
      })
      .catch(function () { busy = false; });  // the link still works as a plain link
  }

  link.addEventListener("click", function (e) { e.preventDefault(); load(); });
  var visible = false;
  var observer = null;
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(function (entries) {
      visible = entries[0].isIntersecting;
      if (visible) load();
    }, { rootMargin: "600px" });
    observer.observe(link);
  }
})();
