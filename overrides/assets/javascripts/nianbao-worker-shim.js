/* A Web Worker for pages opened from file://, where browsers refuse to start workers: Material's search then runs its
   worker in a hidden iframe. After iframe-worker 1.0.4 (MIT, © Martin Donath), rewritten without inline script so that
   it works under the site's Content-Security-Policy (script-src 'self'): the iframe loads workers/nianbao-worker-scope.js,
   which gives the worker script postMessage and importScripts, then the worker script itself. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  // In workers/: Material's search worker finds its own folder from the first script of the iframe, split at "/worker".
  var scope = new URL("workers/nianbao-worker-scope.js", document.currentScript.src).href;

  function attribute(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = String(url);
      this.iframe = document.createElement("iframe");
      this.iframe.hidden = true;
      document.body.appendChild(this.iframe);
      this.received = (event) => {
        if (event.source !== this.iframe.contentWindow) return;
        this.dispatchEvent(new MessageEvent("message", { data: event.data }));
        if (this.onmessage) this.onmessage(event);
      };
      this.failed = (event) => {
        if (event.filename !== this.url) return;
        var error = new ErrorEvent("error", { message: event.message, filename: event.filename, error: event.error });
        this.dispatchEvent(error);
        if (this.onerror) this.onerror(error);
      };
      window.addEventListener("message", this.received);
      window.addEventListener("error", this.failed);
      var frame = this.iframe.contentWindow;
      frame.document.open();
      frame.document.write(
        '<html><body><script src="' + attribute(scope) + '" data-worker="' + attribute(this.url) + '"></script>' +
        '<script src="' + attribute(this.url + "?" + Date.now()) + '"></script></body></html>'
      );
      frame.document.close();
      // After close(): document.open() erases the handlers of the window it writes into.
      this.ready = new Promise(function (resolve, reject) {
        frame.onload = resolve;
        frame.onerror = reject;
      });
    }

    terminate() {
      this.iframe.remove();
      window.removeEventListener("message", this.received);
      window.removeEventListener("error", this.failed);
    }

    postMessage(data) {
      var frame = this.iframe.contentWindow;
      this.ready.catch(function () {}).then(function () {
        frame.dispatchEvent(new MessageEvent("message", structuredClone({ data: data })));
      });
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
