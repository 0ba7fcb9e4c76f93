(function () {
  "use strict";
  // Filters for the case list (and the matrix rows, which follow the same order). The data
  // each filter needs is read once from data-* attributes; a change then costs one pass over
  // plain arrays and touches `hidden` only where it changes.
  var doc = document;
  var form = doc.getElementById("filters");
  var list = doc.getElementById("case-list");
  if (!form || !list) return;
  var cases = Array.prototype.filter.call(list.children, function (e) {
    return e.classList.contains("case");
  });
  var rows = Array.prototype.slice.call(doc.querySelectorAll("tr.mrow"));
  var data = cases.map(function (c) {
    var d = c.dataset;
    return {
      v: d.v.split(" "),
      t: " " + d.t + " ",
      s: d.s,
      rfc: d.s.split(" ")[0],
      l: d.l,
      u: d.u === "1",
      id: c.querySelector(".id").textContent.toLowerCase()
    };
  });
  var shown = doc.getElementById("shown");
  var nomatch = doc.getElementById("nomatch");
  var el = form.elements;

  function checked(name) {
    var set = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]"), function (i) {
      if (i.checked) set[i.value] = true;
    });
    return set;
  }

  function apply() {
    var vs = checked("v"), ls = checked("l");
    var tag = el.tag.value, sec = el.sec.value, un = el.unexp.checked;
    var q = el.q.value.trim().toLowerCase();
    var wholeRfc = sec.indexOf(" ") < 0;
    var n = 0;
    for (var i = 0; i < cases.length; i++) {
      var d = data[i];
      var ok = d.v.some(function (v) { return vs[v]; }) && ls[d.l] === true &&
        (!tag || d.t.indexOf(" " + tag + " ") >= 0) &&
        (!sec || (wholeRfc ? d.rfc === sec : d.s === sec)) &&
        (!q || d.id.indexOf(q) >= 0) && (!un || d.u);
      if (cases[i].hidden === ok) cases[i].hidden = !ok;
      if (rows.length && rows[i].hidden === ok) rows[i].hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n + " of " + cases.length + " cases";
    nomatch.hidden = n > 0;
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });

  Array.prototype.forEach.call(doc.querySelectorAll("button.prefix"), function (b) {
    b.addEventListener("click", function () {
      form.reset();
      el.q.value = b.getAttribute("data-prefix");
      apply();
      doc.getElementById("cases").scrollIntoView();
    });
  });

  // A link to #case-… must land on the case even when the filters hide it.
  function reveal() {
    var h = location.hash.slice(1);
    if (!h) return;
    var target = doc.getElementById(h);
    if (!target) {
      try { target = doc.getElementById(decodeURIComponent(h)); } catch (e) { target = null; }
    }
    if (!target || !target.classList.contains("case")) return;
    if (target.hidden) { form.reset(); el.q.value = ""; apply(); }
    Array.prototype.forEach.call(target.querySelectorAll("details.run"), function (d) {
      d.open = true;
    });
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  apply();
  doc.documentElement.setAttribute("data-ready", "1");
})();
