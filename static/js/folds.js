// Remembers which posts a reader folded, so that they stay folded on reload. Without this
// script (or without storage) the folds still work: they are plain <details> elements.
(function () {
  "use strict";

  var KEY = "parley-folded";
  var LIMIT = 500; // the most recent folds are kept; older ones open again

  function folded() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids : [];
    } catch (error) {
      return [];
    }
  }

  function save(ids) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(ids.slice(-LIMIT)));
    } catch (error) {
      // Storage full or refused: the fold works for this visit only.
    }
  }

  folded().forEach(function (id) {
    var fold = document.getElementById(id);
    if (fold && fold.classList.contains("thread-fold")) {
      fold.open = false;
    }
  });

  // "toggle" does not bubble, so it is caught on its way down.
  document.addEventListener(
    "toggle",
    function (event) {
      var fold = event.target;
      if (!fold.classList || !fold.classList.contains("thread-fold")) {
        return;
      }
      var ids = folded().filter(function (id) {
        return id !== fold.id;
      });
      if (!fold.open) {
        ids.push(fold.id);
      }
      save(ids);
    },
    true
  );
})();
