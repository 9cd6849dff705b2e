/* congdoan chat widget: <script src="https://HOST/widget.js"></script> adds a chat bubble to any page.
   Everything lives in a shadow root so the host page's styles neither leak in nor get changed. */
(function () {
  "use strict";
  if (window.__congdoanWidget) return;
  window.__congdoanWidget = true;

  var script = document.currentScript;
  var BASE = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var STORE_KEY = "congdoan.conversation";
  var T = {
    open: "Mở trợ lý pháp lý Công đoàn",
    title: "Trợ lý pháp lý Công đoàn",
    close: "Đóng cửa sổ trò chuyện",
    placeholder: "Nhập câu hỏi về lao động, công đoàn… (Enter để gửi)",
    input: "Câu hỏi của bạn",
    send: "Gửi",
    welcome: "Xin chào! Bạn có thể hỏi về hợp đồng lao động, tiền lương, nghỉ phép, bảo hiểm xã hội, kỷ luật, công đoàn… Câu trả lời kèm trích dẫn điều luật.",
    thinking: "Đang tìm quy định liên quan…",
    sources: "Căn cứ",
    up: "Câu trả lời hữu ích",
    down: "Câu trả lời chưa đúng",
    comment: "Góp ý thêm (không bắt buộc)",
    sendComment: "Gửi góp ý",
    thanks: "Cảm ơn bạn đã góp ý!",
    officer: "Gặp cán bộ công đoàn",
    consent: "Nội dung cuộc trò chuyện này sẽ được chuyển cho cán bộ công đoàn cơ sở để liên hệ hỗ trợ bạn. Bạn đồng ý chứ?",
    agree: "Đồng ý chuyển",
    cancel: "Hủy",
    askFirst: "Bạn hãy đặt câu hỏi hoặc kể sự việc trước, để cán bộ công đoàn nắm được nội dung.",
    caseOpened: "Đã chuyển yêu cầu cho cán bộ công đoàn. Mã hồ sơ: ",
    caseUnavailable: "Tính năng kết nối cán bộ công đoàn chưa được bật ở đây. Bạn hãy liên hệ trực tiếp ban chấp hành công đoàn cơ sở nơi mình làm việc.",
    error: "Xin lỗi, đã có lỗi khi kết nối tới trợ lý. Bạn vui lòng thử lại.",
    suggest: "Bạn có muốn gặp cán bộ công đoàn không?"
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var host = el("div", { id: "congdoan-widget" });
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("link", { rel: "stylesheet", href: BASE + "/widget.css" }));

  var bubble = el("button", { class: "cd-bubble", type: "button", "aria-label": T.open, "aria-expanded": "false",
    "aria-controls": "cd-panel" }, [el("span", { "aria-hidden": "true", text: "💬" })]);
  var closeBtn = el("button", { class: "cd-close", type: "button", "aria-label": T.close, text: "×" });
  var officerBtn = el("button", { class: "cd-officer", type: "button", text: T.officer });
  var log = el("div", { class: "cd-log", role: "log", "aria-live": "polite", "aria-label": T.title });
  var input = el("textarea", { class: "cd-input", rows: "2", "aria-label": T.input, placeholder: T.placeholder,
    maxlength: "4000" });
  var sendBtn = el("button", { class: "cd-send", type: "submit", text: T.send });
  var form = el("form", { class: "cd-form" }, [input, sendBtn]);
  var panel = el("section", { id: "cd-panel", class: "cd-panel", role: "dialog", "aria-modal": "false",
    "aria-label": T.title, hidden: "" }, [
    el("header", { class: "cd-header" }, [el("h2", { text: T.title }), officerBtn, closeBtn]),
    log, form
  ]);
  root.appendChild(bubble);
  root.appendChild(panel);

  var conversationId = null;
  try { conversationId = sessionStorage.getItem(STORE_KEY); } catch (e) { conversationId = null; }
  var busy = false;

  function say(role, text) {
    var node = el("div", { class: "cd-msg cd-" + role });
    node.appendChild(el("div", { class: "cd-text", text: text || "" }));
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }
  say("assistant", T.welcome);

  function openPanel() {
    panel.hidden = false;
    bubble.setAttribute("aria-expanded", "true");
    input.focus();
  }
  function closePanel() {
    panel.hidden = true;
    bubble.setAttribute("aria-expanded", "false");
    bubble.focus();
  }
  bubble.addEventListener("click", function () { if (panel.hidden) openPanel(); else closePanel(); });
  closeBtn.addEventListener("click", closePanel);
  // Esc closes the open chat wherever the focus is (inside the panel or back on the host page).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) closePanel();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    ask(text);
  });
  officerBtn.addEventListener("click", function () { askConsent(); });

  function errorText(status, body) {
    if (body && body.detail) {
      if (typeof body.detail === "string") return body.detail;
      if (body.detail[0] && body.detail[0].msg) return body.detail[0].msg;
    }
    return T.error;
  }

  function ask(text) {
    busy = true;
    sendBtn.disabled = true;
    say("user", text);
    var reply = say("assistant", "");
    var textNode = reply.querySelector(".cd-text");
    textNode.textContent = T.thinking;
    reply.setAttribute("aria-busy", "true");
    var started = false;
    fetch(BASE + "/api/v1/chat/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify({ message: text, conversation_id: conversationId })
    }).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return null; }).then(function (body) {
          throw new Error(errorText(response.status, body));
        });
      }
      return readEvents(response, function (name, data) {
        if (name === "delta") {
          if (!started) { textNode.textContent = ""; started = true; }
          textNode.textContent += data.text;
          log.scrollTop = log.scrollHeight;
        } else if (name === "done") {
          textNode.textContent = data.answer;
          finishAnswer(reply, data);
        } else if (name === "error") {
          throw new Error(data.detail || T.error);
        }
      });
    }).catch(function (err) {
      textNode.textContent = err && err.message ? err.message : T.error;
      reply.classList.add("cd-error");
    }).then(function () {
      reply.removeAttribute("aria-busy");
      busy = false;
      sendBtn.disabled = false;
      input.focus();
    });
  }

  function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder("utf-8");
    var buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var index;
        while ((index = buffer.indexOf("\n\n")) >= 0) {
          var raw = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          var name = "message", data = "";
          raw.split("\n").forEach(function (line) {
            if (line.indexOf("event:") === 0) name = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
          });
          if (data) onEvent(name, JSON.parse(data));
        }
        return pump();
      });
    }
    return pump();
  }

  function finishAnswer(node, answer) {
    if (answer.conversation_id) {
      conversationId = answer.conversation_id;
      try { sessionStorage.setItem(STORE_KEY, conversationId); } catch (e) { /* private mode */ }
    }
    if (answer.citations && answer.citations.length) {
      var list = el("div", { class: "cd-citations" }, [el("p", { class: "cd-cite-head", text: T.sources })]);
      answer.citations.forEach(function (c) {
        var label = citationLabel(c);
        list.appendChild(el("details", { class: "cd-citation" }, [
          el("summary", { text: label }),
          el("blockquote", { class: "cd-quote", text: c.quote }),
          c.version_label ? el("p", { class: "cd-version", text: "Phiên bản: " + c.version_label }) : null
        ]));
      });
      node.appendChild(list);
    }
    if (answer.escalation && answer.escalation.suggested) {
      var suggest = el("button", { class: "cd-suggest", type: "button", text: T.suggest + " → " + T.officer });
      suggest.addEventListener("click", function () { askConsent(answer.escalation.category); });
      node.appendChild(suggest);
    }
    if (answer.message_id) node.appendChild(feedbackBar(answer.message_id));
  }

  function citationLabel(c) {
    var parts = [];
    if (c.point) parts.push("điểm " + c.point);
    if (c.clause !== null && c.clause !== undefined && c.clause !== "") parts.push("khoản " + c.clause);
    parts.push("Điều " + c.article);
    return parts.join(" ") + " " + (c.document_title || "") + " (" + c.work_number + ")";
  }

  function feedbackBar(messageId) {
    var bar = el("div", { class: "cd-feedback", role: "group", "aria-label": "Đánh giá câu trả lời" });
    var up = el("button", { type: "button", class: "cd-thumb", "aria-label": T.up, "aria-pressed": "false", text: "👍" });
    var down = el("button", { type: "button", class: "cd-thumb", "aria-label": T.down, "aria-pressed": "false", text: "👎" });
    var rating = 0;
    function rate(value) {
      rating = value;
      up.setAttribute("aria-pressed", String(value === 1));
      down.setAttribute("aria-pressed", String(value === -1));
      sendFeedback(messageId, value, "").then(function () { showComment(); });
    }
    function showComment() {
      if (bar.querySelector(".cd-comment")) return;
      var box = el("textarea", { class: "cd-comment", rows: "2", "aria-label": T.comment, placeholder: T.comment,
        maxlength: "2000" });
      var submit = el("button", { type: "button", class: "cd-comment-send", text: T.sendComment });
      submit.addEventListener("click", function () {
        sendFeedback(messageId, rating, box.value.trim()).then(function () {
          box.remove(); submit.remove();
          bar.appendChild(el("span", { class: "cd-thanks", role: "status", text: T.thanks }));
        });
      });
      bar.appendChild(box);
      bar.appendChild(submit);
    }
    up.addEventListener("click", function () { rate(1); });
    down.addEventListener("click", function () { rate(-1); });
    bar.appendChild(up);
    bar.appendChild(down);
    return bar;
  }

  function sendFeedback(messageId, rating, comment) {
    return fetch(BASE + "/api/v1/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message_id: messageId, rating: rating, comment: comment })
    }).catch(function () { return null; });
  }

  function askConsent(category) {
    if (!conversationId) { say("assistant", T.askFirst); return; }
    if (log.querySelector(".cd-consent")) return;
    var agree = el("button", { type: "button", class: "cd-agree", text: T.agree });
    var cancel = el("button", { type: "button", class: "cd-cancel", text: T.cancel });
    var box = el("div", { class: "cd-msg cd-assistant cd-consent", role: "alertdialog", "aria-label": T.officer }, [
      el("p", { text: T.consent }), agree, cancel
    ]);
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
    agree.focus();
    cancel.addEventListener("click", function () { box.remove(); input.focus(); });
    agree.addEventListener("click", function () {
      box.remove();
      var body = { conversation_id: conversationId, consent: true };
      if (category) body.category = category;
      fetch(BASE + "/api/v1/cases", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body)
      }).then(function (response) {
        if (response.ok) {
          return response.json().then(function (data) { say("assistant", T.caseOpened + (data.id || "")); });
        }
        if ([404, 405, 501].indexOf(response.status) >= 0) { say("assistant", T.caseUnavailable); return; }
        return response.json().catch(function () { return null; }).then(function (data) {
          say("assistant", errorText(response.status, data));
        });
      }).catch(function () { say("assistant", T.caseUnavailable); }).then(function () { input.focus(); });
    });
  }

  function mount() { document.body.appendChild(host); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
