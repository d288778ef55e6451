/* Renders the report document in #ipcconf-data (reports/REPORTS.md). Every
 * string from the bundle goes into the page as textContent or an attribute
 * value, never as markup. The filters' state lives in the URL's fragment
 * with the case whose details are open (#family=pipe&class=xsi&diff=1&fail=1
 * &kind=not_implemented&q=text&case=ID), so that a view can be linked. */
"use strict";
(function () {
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById("ipcconf-data").textContent);
  var T = D.targets, C = D.cases;
  var OUTCOMES = ["passed", "failed", "skipped", "expected_failure", "broken", "timed_out", "not_run"];
  var SHORT = { passed: "pass", failed: "FAIL", skipped: "skip", expected_failure: "xfail",
    broken: "BROKEN", timed_out: "TIMEOUT", not_run: "–" };
  var NAME = { passed: "passed", failed: "failed", skipped: "skipped",
    expected_failure: "expected failure", broken: "broken", timed_out: "timed out", not_run: "not run" };
  var BAD = { failed: true, broken: true, timed_out: true };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  /* Bundle strings are used as keys: never look them up through a prototype. */
  function hasOwn(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function str(v) { return v === undefined || v === null ? "" : String(v); }
  function join(parts) { return parts.map(str).filter(function (s) { return s !== ""; }).join(" "); }
  function result(c, tid) { return hasOwn(c.results, tid) ? c.results[tid] : null; }
  function outcome(c, tid) { var r = result(c, tid); return r ? r.outcome : "not_run"; }
  function reason(c, tid) { var r = result(c, tid); return r ? str(r.reason) : ""; }
  function kind(c, tid) { var r = result(c, tid); return r ? str(r.kind) : ""; }

  /* Summary line and title. */
  var bad = 0;
  T.forEach(function (t) { bad += t.totals.failed + t.totals.broken + t.totals.timed_out; });
  var notDone = T.filter(function (t) { return t.status && t.status !== "completed"; }).length;
  document.title = "ipcconf: " + C.length + " cases × " + T.length + " target" +
    (T.length === 1 ? "" : "s") + (bad ? " — " + bad + " failing" : "") +
    (notDone ? " — " + notDone + " target" + (notDone === 1 ? "" : "s") + " did not complete" : "");
  var summary = document.getElementById("summary");
  summary.appendChild(document.createTextNode(C.length + " cases on " + T.length + " target" +
    (T.length === 1 ? "" : "s") + "; bundle created " + (str(D.created) || "?") +
    " by ipcconf " + (str(D.ipcconf_version) || "?") + ". "));
  /* A target that did not complete is named first: its cells are partial or empty. */
  var unfinished = T.filter(function (t) { return t.status && t.status !== "completed"; });
  unfinished.forEach(function (t) {
    summary.appendChild(el("span", "bad", "Target " + t.id + " did not complete (" + t.status +
      (t.status_reason ? ": " + t.status_reason : "") + "). "));
  });
  summary.appendChild(el("span", bad ? "bad" : "", bad ? bad + " results failed, broke or timed out."
    : unfinished.length ? "No case of the targets that ran failed, broke or timed out."
    : "No case failed, broke or timed out."));

  /* Targets: provenance down, targets across, then totals. */
  var targets = document.getElementById("targets");
  var head = targets.createTHead().insertRow();
  head.appendChild(el("th", "", "target"));
  T.forEach(function (t) { head.appendChild(el("th", "", t.id)); });
  var tb = targets.createTBody();
  function provRow(label, f, cls) {
    var tr = tb.insertRow();
    tr.appendChild(el("th", "", label));
    T.forEach(function (t) { var td = el("td", cls || "", f(t, t.provenance)); tr.appendChild(td); });
    return tr;
  }
  var shown = { kernel_release: 1, kernel_version: 1, arch: 1, libc: 1, libc_version: 1,
    distribution: 1, container: 1, container_image: 1, container_image_id: 1, vm_kernel_image: 1, emulation: 1,
    user: 1, uid: 1, hostname: 1, date: 1, ipcconf_version: 1 };
  provRow("status", function (t) { return t.status + (t.status_reason ? ": " + t.status_reason : ""); });
  provRow("kind", function (t) { return t.kind; });
  provRow("kernel", function (t, p) { return join([p.kernel_release, p.kernel_version]); });
  provRow("architecture", function (t, p) { return p.arch; });
  provRow("C library", function (t, p) { return join([p.libc, p.libc_version]); });
  provRow("distribution", function (t, p) { return p.distribution; });
  provRow("container", function (t, p) { return join([p.container, p.container_image, p.container_image_id]) || "none"; });
  provRow("VM kernel", function (t, p) { return str(p.vm_kernel_image) || "none"; });
  provRow("emulation", function (t, p) { return str(p.emulation) || "none"; });
  provRow("user", function (t, p) { return join([p.user, p.uid === undefined ? "" : "(uid " + p.uid + ")"]); });
  provRow("hostname", function (t, p) { return p.hostname; });
  provRow("date", function (t, p) { return p.date; });
  provRow("ipcconf", function (t, p) { return p.ipcconf_version; });
  var extra = Object.create(null);
  T.forEach(function (t) { Object.keys(t.provenance).forEach(function (k) { if (!hasOwn(shown, k)) extra[k] = 1; }); });
  Object.keys(extra).sort().forEach(function (k) { provRow(k, function (t, p) { return hasOwn(p, k) ? str(p[k]) : ""; }); });
  provRow("duration", function (t) { return t.duration_s === null ? "" : t.duration_s.toFixed(1) + " s"; }, "num");
  var leakRow = provRow("IPC objects left behind", function (t) { return t.leaks.length; }, "num");
  T.forEach(function (t, i) { if (t.leaks.length) leakRow.cells[i + 1].title = t.leaks.join("\n"); });
  OUTCOMES.forEach(function (o) {
    var tr = provRow(NAME[o], function (t) { return t.totals[o]; }, "num");
    tr.className = "total";
    var sw = el("span", "sw o-" + o);
    tr.cells[0].insertBefore(sw, tr.cells[0].firstChild);
    if (o === "failed") {
      provRow("…not implemented", function (t) { return t.failure_kinds ? t.failure_kinds.not_implemented : ""; }, "num").className = "total";
      provRow("…wrong behaviour", function (t) { return t.failure_kinds ? t.failure_kinds.wrong_behaviour : ""; }, "num").className = "total";
    }
  });

  /* Legend. */
  var legend = document.getElementById("legend");
  OUTCOMES.forEach(function (o) { legend.appendChild(el("span", "o-" + o, SHORT[o] + " = " + NAME[o])); });

  /* The matrix: one tbody per family. */
  var matrix = document.getElementById("matrix");
  var hr = matrix.createTHead().insertRow();
  hr.appendChild(el("th", "", "case"));
  hr.appendChild(el("th", "", "class"));
  hr.appendChild(el("th", "", "clause"));
  T.forEach(function (t) {
    var th = el("th", "t", t.id), p = t.provenance;
    th.title = t.id + "\n" + join([p.kernel_release, p.arch]) + "\n" + join([p.libc, p.libc_version]) +
      "\n" + str(p.distribution);
    hr.appendChild(th);
  });
  var rows = new Array(C.length), groups = [], byFamily = Object.create(null);
  var frag = document.createDocumentFragment();
  C.forEach(function (c, i) {
    var g = byFamily[c.family];
    if (!g) {
      g = byFamily[c.family] = { name: c.family, body: el("tbody"), rows: [], bad: {} };
      var fr = g.body.insertRow();
      fr.className = "fam";
      fr.appendChild(el("th", "", c.family || "(no family)")).colSpan = 3;
      g.head = fr;
      groups.push(g);
      frag.appendChild(g.body);
    }
    var tr = el("tr");
    tr.dataset.i = i;
    var name = el("td", "name", c.name);
    name.title = c.id + (c.descr ? "\n" + c.descr : "");
    tr.appendChild(name);
    tr.appendChild(el("td", "cls", c["class"]));
    var spec = el("td", "spec", c.spec);
    spec.title = c.spec;
    tr.appendChild(spec);
    var text = (c.id + "\n" + c.spec + "\n" + c.descr).toLowerCase(), kinds = {};
    for (var j = 0; j < T.length; j++) {
      var o = outcome(c, T[j].id), r = reason(c, T[j].id), k = kind(c, T[j].id);
      var nyi = k === "not_implemented";
      var td = el("td", "c o-" + o + (nyi ? " nyi" : ""), nyi ? "N/I" : SHORT[o]);
      td.setAttribute("data-outcome", o);
      if (k) { td.setAttribute("data-kind", k); kinds[k] = true; }
      td.title = T[j].id + ": " + NAME[o] + (nyi ? " (not implemented: " + str(result(c, T[j].id).missing) + ")" : "") +
        (r ? "\n" + r : "");
      tr.appendChild(td);
      if (BAD[o]) g.bad[j] = (g.bad[j] || 0) + 1;
      if (r) text += "\n" + r.toLowerCase();
    }
    g.body.appendChild(tr);
    g.rows.push(i);
    rows[i] = { tr: tr, c: c, text: text, kinds: kinds };
  });
  groups.forEach(function (g) {
    for (var j = 0; j < T.length; j++) {
      var n = g.bad[j] || 0;
      g.head.appendChild(el("td", n ? "o-failed" : "", n ? n + " failing" : ""));
    }
  });
  var foot = matrix.createTFoot().insertRow();
  foot.appendChild(el("th", "", "totals")).colSpan = 3;
  T.forEach(function (t) {
    var parts = [];
    OUTCOMES.forEach(function (o) { if (t.totals[o]) parts.push(t.totals[o] + " " + SHORT[o]); });
    foot.appendChild(el("td", "", parts.join(" · ")));
  });
  matrix.appendChild(frag);
  matrix.appendChild(matrix.tFoot);

  var detail = document.getElementById("detail"), selected = null;

  /* Failures by kind, per target and family: each missing call shows its cases. */
  var nyiBox = document.getElementById("nyi-box"), nyi = document.getElementById("nyi"), anyNyi = false;
  var nh = nyi.createTHead().insertRow(), nb = nyi.createTBody();
  ["target", "family", "not implemented (cases)", "wrong behaviour"].forEach(function (s) { nh.appendChild(el("th", "", s)); });
  T.forEach(function (t) {
    (t.failures_by_family || []).forEach(function (g, gi) {
      var tr = nb.insertRow();
      tr.appendChild(el("td", "", gi === 0 ? t.id : ""));
      tr.appendChild(el("td", "", g.family));
      var td = el("td");
      g.missing.forEach(function (m) {
        var b = el("button", "", m.what + (m.cases > 1 ? " ×" + m.cases : ""));
        b.type = "button";
        b.title = "show the " + g.family + " cases not implemented on " + t.id;
        b.addEventListener("click", function () {
          fFamily.value = g.family; if (fFamily.selectedIndex < 0) fFamily.value = "";
          fKind.value = "not_implemented"; fText.value = m.what;
          apply(true);
          matrix.scrollIntoView();
        });
        td.appendChild(b);
      });
      tr.appendChild(td);
      tr.appendChild(el("td", "num", g.wrong_behaviour));
    });
    if (t.failure_kinds && t.failure_kinds.not_implemented > 0) anyNyi = true;
  });
  nyiBox.hidden = !anyNyi;

  /* Filters. */
  var fFamily = document.getElementById("f-family"), fClass = document.getElementById("f-class");
  var fDiff = document.getElementById("f-diff"), fFail = document.getElementById("f-fail");
  var fText = document.getElementById("f-text"), out = document.getElementById("shown");
  var fKind = document.getElementById("f-kind");
  groups.forEach(function (g) { var op = el("option", "", g.name || "(no family)"); op.value = g.name; fFamily.appendChild(op); });
  if (T.length < 2) fDiff.parentNode.title = "one target: nothing to compare";

  function apply(write) {
    var fam = fFamily.value, cls = fClass.value, diff = fDiff.checked, fail = fFail.checked;
    var kd = fKind.value;
    var q = fText.value.trim().toLowerCase(), visible = 0;
    groups.forEach(function (g) {
      var any = false, famShown = !fam || g.name === fam;
      g.rows.forEach(function (i) {
        var r = rows[i], c = r.c;
        var show = famShown && (!cls || c["class"] === cls) && (!diff || c.differs) &&
          (!fail || c.bad) && (!kd || r.kinds[kd] === true) && (!q || r.text.indexOf(q) !== -1);
        if (r.tr.hidden === show) r.tr.hidden = !show;
        if (show) { any = true; visible++; }
      });
      g.body.hidden = !any;
    });
    out.value = "showing " + visible + " of " + C.length + " cases";
    if (write) writeHash();
  }
  function writeHash() {
    var p = [], q = fText.value.trim();
    if (fFamily.value) p.push("family=" + encodeURIComponent(fFamily.value));
    if (fClass.value) p.push("class=" + encodeURIComponent(fClass.value));
    if (fDiff.checked) p.push("diff=1");
    if (fFail.checked) p.push("fail=1");
    if (fKind.value) p.push("kind=" + encodeURIComponent(fKind.value));
    if (q) p.push("q=" + encodeURIComponent(q));
    if (selected) p.push("case=" + encodeURIComponent(C[+selected.dataset.i].id));
    try { history.replaceState(null, "", p.length ? "#" + p.join("&") : location.pathname + location.search); } catch (e) { /* file: URLs in some browsers */ }
  }
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    var want = p.get("case");
    hide(false);
    if (want) C.forEach(function (c, i) { if (c.id === want) show(i, false); });
    fFamily.value = p.get("family") || "";
    if (fFamily.selectedIndex < 0) fFamily.value = "";
    fClass.value = p.get("class") || "";
    if (fClass.selectedIndex < 0) fClass.value = "";
    fDiff.checked = p.get("diff") === "1";
    fFail.checked = p.get("fail") === "1";
    fKind.value = p.get("kind") || "";
    if (fKind.selectedIndex < 0) fKind.value = "";
    fText.value = p.get("q") || "";
  }
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  [fFamily, fClass, fDiff, fFail, fKind].forEach(function (e) { e.addEventListener("change", function () { apply(true); }); });
  var timer = 0;
  fText.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { apply(true); }, 120); });
  window.addEventListener("hashchange", function () { readHash(); apply(false); });

  /* Details of a case: click its name or a cell. */
  function show(i, write) {
    var c = C[i];
    if (selected) selected.classList.remove("sel");
    selected = rows[i].tr;
    selected.classList.add("sel");
    detail.textContent = "";
    var close = el("button", "close", "×");
    close.type = "button";
    close.title = "close (Esc)";
    close.addEventListener("click", function () { hide(); });
    detail.appendChild(close);
    detail.appendChild(el("h3", "", c.id));
    if (c.descr) detail.appendChild(el("p", "", c.descr));
    var spec = el("p", "");
    spec.appendChild(el("b", "", "Clause: "));
    spec.appendChild(document.createTextNode(c.spec || "(none)"));
    detail.appendChild(spec);
    var cls = el("p", "");
    cls.appendChild(el("b", "", "Class: "));
    cls.appendChild(document.createTextNode(c["class"] || "(none)"));
    detail.appendChild(cls);
    var tbl = el("table"), h = tbl.createTHead().insertRow();
    ["target", "outcome", "reason", "time"].forEach(function (s) { h.appendChild(el("th", "", s)); });
    var b = tbl.createTBody();
    T.forEach(function (t) {
      var o = outcome(c, t.id), r = result(c, t.id), tr = b.insertRow();
      tr.appendChild(el("td", "", t.id));
      tr.appendChild(el("td", "o-" + o, NAME[o]));
      tr.appendChild(el("td", "reason", reason(c, t.id)));
      tr.appendChild(el("td", "time", r && r.duration_s !== null ? r.duration_s.toFixed(3) + " s" : ""));
    });
    detail.appendChild(tbl);
    detail.hidden = false;
    if (write !== false) writeHash();
  }
  function hide(write) {
    detail.hidden = true;
    if (selected) selected.classList.remove("sel");
    selected = null;
    if (write !== false) writeHash();
  }
  matrix.addEventListener("click", function (e) {
    var td = e.target.closest("td");
    var tr = td && td.parentNode;
    if (!tr || tr.dataset.i === undefined) return;
    show(+tr.dataset.i);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && selected) hide(); });

  readHash();
  apply(false);
  void matrix.offsetHeight; /* the time includes the first layout */
  document.body.setAttribute("data-render-ms", (performance.now() - t0).toFixed(1));
  document.body.setAttribute("data-ready", "1");
})();
