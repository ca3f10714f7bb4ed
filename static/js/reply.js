// The site's one script, two small parts. First: opens a post's reply form in place, under the
// post. Without this script (or when anything here fails) the "Reply" link opens the reply
// page, which holds the very same form.
(function () {
  "use strict";

  function formSlot(post) {
    return document.getElementById("reply-slot-" + post.id);
  }

  function focusForm(slot) {
    var textarea = slot.querySelector("textarea");
    if (textarea) {
      textarea.focus();
    }
  }

  function addCancelButton(slot, link) {
    var actions = slot.querySelector(".form-actions");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "reply-cancel";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", function () {
      slot.remove();
      link.focus();
    });
    actions.appendChild(cancel);
  }

  function openInPlace(link, post) {
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("no reply form here");
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var form = page.querySelector("form.reply-form");
        if (!form) {
          throw new Error("no reply form here");
        }
        var slot = document.createElement("div");
        slot.id = "reply-slot-" + post.id;
        slot.className = "reply-slot";
        slot.appendChild(document.importNode(form, true));
        addCancelButton(slot, link);
        post.insertAdjacentElement("afterend", slot);
        link.removeAttribute("aria-busy");
        focusForm(slot);
      })
      .catch(function () {
        window.location.assign(link.href);
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.post-reply");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var post = link.closest("article.post");
    if (!post || !window.fetch || !window.DOMParser) {
      return;
    }
    event.preventDefault();
    var slot = formSlot(post);
    if (slot) {
      focusForm(slot);
    } else if (!link.hasAttribute("aria-busy")) {
      openInPlace(link, post);
    }
  });
})();

// Second: remembers which posts a reader folded, so that they stay folded on reload. Without this
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

// Third: times in words ("3 hours ago"), the exact time in the reader's own zone on hover.
// Without this script the page shows the exact time with its zone.
(function () {
  "use strict";

  if (!window.Intl || !Intl.RelativeTimeFormat) {
    return;
  }
  var words = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  var exact = new Intl.DateTimeFormat(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
  var UNITS = [
    ["year", 31536000],
    ["month", 2592000],
    ["week", 604800],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];

  function inWords(moment, now) {
    var seconds = (moment - now) / 1000;
    for (var i = 0; i < UNITS.length; i++) {
      if (Math.abs(seconds) >= UNITS[i][1]) {
        return words.format(Math.round(seconds / UNITS[i][1]), UNITS[i][0]);
      }
    }
    return "just now";
  }

  function refresh() {
    var now = Date.now();
    document.querySelectorAll("main time[datetime]").forEach(function (time) {
      var moment = Date.parse(time.getAttribute("datetime"));
      // An article's date is a date, not a moment: it stays as written.
      if (isNaN(moment) || time.closest(".article-header")) {
        return;
      }
      time.title = exact.format(moment);
      time.textContent = inWords(moment, now);
    });
  }

  refresh();
  window.setInterval(refresh, 60000);
})();
