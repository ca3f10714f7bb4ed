// Opens a post's reply form in place, under the post. Without this script (or when anything
// here fails) the "Reply" link opens the reply page, which holds the very same form.
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
