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

// Fourth: votes, previews and a refused reply happen in place. The forms are sent as they
// would be without the script; the page the server answers with is read for the one part that
// changed. Whenever that part is not found, the browser is sent to the answer instead.
(function () {
  "use strict";

  if (!window.fetch || !window.DOMParser || !window.FormData) {
    return;
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      return response.text().then(function (html) {
        return { response: response, page: new DOMParser().parseFromString(html, "text/html") };
      });
    });
  }

  function vote(form, submitter) {
    var post = form.closest("article.post");
    var votes = form.closest(".votes");
    send(form, submitter)
      .then(function (answer) {
        var fresh = answer.page.querySelector("#" + post.id + " .votes");
        if (!answer.response.ok || !fresh) {
          throw new Error("no votes in the answer");
        }
        votes.replaceWith(document.importNode(fresh, true));
        var pressed = document.querySelector(
          "#" + post.id + ' .vote[value="' + submitter.value + '"]'
        );
        if (pressed) {
          pressed.focus();
        }
      })
      .catch(function () {
        form.submit();
      });
  }

  function reply(form, submitter) {
    var slot = form.closest(".reply-slot, .new-comment");
    send(form, submitter)
      .then(function (answer) {
        if (answer.response.ok && answer.response.redirected) {
          // Posted: read it in its place. fetch() drops the redirect's #post-N, so the new
          // post is found as the one the answer shows and this page does not.
          var posted = Array.prototype.find.call(
            answer.page.querySelectorAll("article.post"),
            function (post) {
              return !document.getElementById(post.id);
            }
          );
          var here = window.location.href.split("#")[0];
          if (answer.response.url !== here) {
            window.location.assign(answer.response.url + (posted ? "#" + posted.id : ""));
          } else {
            // Only the fragment would change, and that loads nothing: reload at the post.
            window.location.hash = posted ? posted.id : "";
            window.location.reload();
          }
          return;
        }
        var fresh = answer.page.querySelector("form.reply-form");
        if (!fresh) {
          throw new Error("no form in the answer");
        }
        var preview = answer.page.querySelector(".preview");
        var old = slot.querySelector(".preview");
        if (old) {
          old.remove();
        }
        var cancel = form.querySelector(".reply-cancel");
        var replacement = document.importNode(fresh, true);
        if (cancel) {
          replacement.querySelector(".form-actions").appendChild(cancel);
        }
        form.replaceWith(replacement);
        if (preview) {
          replacement.insertAdjacentElement("beforebegin", document.importNode(preview, true));
        }
        var alert = replacement.querySelector('[role="alert"]');
        var textarea = replacement.querySelector("textarea");
        (alert && !preview ? textarea : textarea || replacement).focus();
      })
      .catch(function () {
        form.submit();
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (form.matches("form.vote-form")) {
      event.preventDefault();
      vote(form, submitter);
    } else if (form.matches(".reply-slot form.reply-form, .new-comment form.reply-form")) {
      event.preventDefault();
      reply(form, submitter);
    }
  });
})();

// Fifth: keyboard shortcuts, none of them needed: j and k move between posts, r replies to
// the one in view, Escape closes the reply form, Ctrl or Cmd+Enter sends it. Single keys never
// act while the reader types, and the footer's switch turns them all off (WCAG 2.1.4).
(function () {
  "use strict";

  var KEY = "parley-shortcuts";

  function enabled() {
    try {
      return window.localStorage.getItem(KEY) !== "off";
    } catch (error) {
      return true;
    }
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function posts() {
    return Array.prototype.slice.call(document.querySelectorAll("article.post"));
  }

  function current() {
    var focused = document.activeElement && document.activeElement.closest("article.post");
    return focused || null;
  }

  function move(step) {
    var all = posts().filter(function (post) {
      return post.offsetParent !== null; // not inside a folded thread
    });
    if (!all.length) {
      return;
    }
    var index = all.indexOf(current());
    var next = all[Math.min(Math.max(index + step, 0), all.length - 1)];
    if (index === -1) {
      next = all[0];
    }
    next.setAttribute("tabindex", "-1");
    next.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (!enabled()) {
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = event.target.closest && event.target.closest("form.reply-form");
      if (form) {
        event.preventDefault();
        form.requestSubmit(form.querySelector(".button-primary"));
      }
      return;
    }
    if (event.key === "Escape") {
      var slot = event.target.closest && event.target.closest(".reply-slot");
      var cancel = slot && slot.querySelector(".reply-cancel");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      move(event.key === "j" ? 1 : -1);
    } else if (event.key === "r") {
      var post = current();
      var link = post && post.querySelector("a.post-reply");
      if (link) {
        event.preventDefault();
        link.click();
      }
    }
  });

  // The switch is in the page for every reader, hidden and without a state: only this script
  // can make it work.
  var toggle = document.getElementById("shortcuts-toggle");
  if (toggle) {
    var show = function () {
      toggle.setAttribute("aria-pressed", enabled() ? "true" : "false");
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", function () {
      try {
        window.localStorage.setItem(KEY, enabled() ? "off" : "on");
      } catch (error) {
        // Storage refused: nothing to remember the choice in.
      }
      show();
    });
  }
})();
