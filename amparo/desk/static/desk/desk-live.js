/* Agent desk live updates over /ws/agent/: new messages and changes on the open ticket,
   a "new activity" hint on queues, and collision warnings (who is viewing or typing). */
(function () {
  "use strict";

  var root = document.querySelector("[data-ws-url]");
  if (!root || !window.WebSocket) return;
  var ticketId = root.dataset.ticketId ? parseInt(root.dataset.ticketId, 10) : null;
  var me = parseInt(root.dataset.agentId || "0", 10);
  var socket = null;
  var retry = 1000;
  var present = {};  /* agent id -> {name, state, until} */
  var lastTyping = 0;

  function send(obj) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(obj));
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.wsUrl);
    socket.addEventListener("open", function () {
      retry = 1000;
      root.dataset.live = "connected";
      if (ticketId) send({ action: "watch", ticket_id: ticketId });
    });
    socket.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      handle(data);
    });
    socket.addEventListener("close", function () {
      root.dataset.live = "closed";
      present = {};
      renderPresence();
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  /* One refresh per target at a time: an event arriving while one runs asks for another
     afterwards (htmx would queue it on the element the swap replaces, and lose it). Bursts
     (a reply, then its status change) are coalesced by a short delay. */
  var refreshes = {};
  function refresh(url, target) {
    if (!window.htmx || !url) return;
    var state = refreshes[target] || (refreshes[target] = { running: false, again: false, timer: 0 });
    if (state.running) { state.again = true; return; }
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () {
      if (!document.querySelector(target)) return;
      state.running = true;
      var done = function () {
        state.running = false;
        if (state.again) { state.again = false; refresh(url, target); }
      };
      window.htmx.ajax("GET", url, { target: target, swap: "outerHTML" }).then(done, done);
    }, 150);
  }

  function propsBusy() {
    var props = document.getElementById("ticket-props");
    return props && props.contains(document.activeElement) && document.activeElement.tagName !== "BUTTON";
  }

  function handle(data) {
    if (data.type === "presence") { onPresence(data); return; }
    if (data.type === "error" || data.type === "pong" || data.type === "watching") return;
    if (!data.ticket_id) return;
    if (ticketId) {
      if (data.ticket_id !== ticketId) return;
      if (data.type === "message.created") refresh(root.dataset.timelineUrl, "#timeline");
      if (data.type === "ticket.updated" || data.type === "ticket.merged") {
        refresh(root.dataset.timelineUrl, "#timeline");
        /* Do not pull a field from under the agent's cursor; the next change refreshes it. */
        if (!propsBusy()) refresh(root.dataset.propsUrl, "#ticket-props");
      }
      return;
    }
    var hint = document.querySelector("[data-activity-hint]");
    if (hint) hint.hidden = false;
  }

  function onPresence(data) {
    if (data.ticket_id !== ticketId || data.agent_id === me) return;
    if (data.state === "left") delete present[data.agent_id];
    else {
      var entry = present[data.agent_id] || { name: data.name, state: "viewing", until: 0 };
      entry.name = data.name;
      if (data.state === "typing") { entry.state = "typing"; entry.until = Date.now() + 6000; }
      else if (entry.state !== "typing" || entry.until < Date.now()) entry.state = "viewing";
      present[data.agent_id] = entry;
    }
    renderPresence();
  }

  function renderPresence() {
    var box = document.querySelector("[data-collision]");
    if (!box) return;
    var now = Date.now();
    var viewers = [];
    var typers = [];
    Object.keys(present).forEach(function (id) {
      var p = present[id];
      if (p.state === "typing" && p.until < now) p.state = "viewing";
      (p.state === "typing" ? typers : viewers).push(p.name);
    });
    var text = "";
    if (typers.length) {
      text = box.dataset.typing.replace("{name}", typers.join(", "));
    } else if (viewers.length) {
      var names = viewers.length > 1
        ? viewers.slice(0, -1).join(", ") + " " + box.dataset.and + " " + viewers[viewers.length - 1]
        : viewers[0];
      text = (viewers.length > 1 ? box.dataset.viewingMany : box.dataset.viewing).replace("{names}", names);
    }
    if (box.textContent !== text) box.textContent = text;
    box.hidden = !text;
  }
  window.setInterval(renderPresence, 2000);

  /* Typing in the composer tells the others (throttled; the server throttles too). */
  document.addEventListener("input", function (event) {
    if (!ticketId || !event.target.closest || !event.target.closest("[data-composer]")) return;
    var now = Date.now();
    if (now - lastTyping < 3000) return;
    lastTyping = now;
    send({ action: "typing", ticket_id: ticketId });
  });

  /* Keep the socket alive through proxies that drop idle connections. */
  window.setInterval(function () { send({ action: "ping" }); }, 25000);

  connect();
})();
