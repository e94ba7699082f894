/* The live reload of `mkdocs serve`, as a script file: the preview keeps the site's Content-Security-Policy (no inline
   script), so mkdocs' own inline poller is blocked and this one does its job. Only the preview adds it to pages
   (hooks/mkdocs_hooks.py), with the build's time stamp on the clock mkdocs' server counts its builds by: the server
   answers the poll once a build newer than this page's has finished, and the page reloads. */
(function () {
  "use strict";
  var script = document.currentScript;
  var epoch = script && Number(script.getAttribute("data-nb-epoch"));
  if (!epoch) return;
  var requestId = String(Date.now());
  var req, timeout;

  var poll = function () {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + epoch + "/" + requestId);
    req.send();
  };

  var stop = function () {
    if (req) req.abort();
    if (timeout) clearTimeout(timeout);
    req = timeout = undefined;
  };

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") poll();
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
    else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
