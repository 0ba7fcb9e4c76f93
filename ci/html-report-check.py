#!/usr/bin/env python3
"""Checks for ci/html-report-test.sh (standard library only).

  html-report-check.py dom FILE.dom [--hostile [--ws]]  the DOM Chromium dumped after scripts ran
  html-report-check.py png FILE.png MIN_KB        a screenshot that shows a rendered page
  html-report-check.py markdown FILE.md           a step summary: small, no live markup
  html-report-check.py inflate IN.json OUT.json N the run's cases copied to exactly N (ids suffixed)
  html-report-check.py perf-page IN.html OUT.html the page without its CSP plus a timing script
  html-report-check.py perf-result FILE.dom       prints the timings the timing script left

Exit status 1 with a message on the first failed check.
"""

import copy
import html.parser
import json
import re
import struct
import sys
import zlib

# Elements the report never uses: any of them in the DOM was injected.
FORBIDDEN = {
    "img", "svg", "iframe", "object", "embed", "base", "video", "audio", "source", "link",
    "frame", "frameset", "applet", "math", "portal", "textarea",
}
ALLOWED_META = {"charset", "content-security-policy", "viewport", "generator"}


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.problems = []
        self.text = []
        self.title = None
        self._in_title = False
        self.root_attrs = {}

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if tag == "html":
            self.root_attrs = a
        if tag in FORBIDDEN:
            self.problems.append(f"<{tag}> element {a}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"):
                v = (value or "").strip().lower()
                if name in ("src", "data", "srcdoc", "action", "formaction"):
                    self.problems.append(f"{name}= on <{tag}>")
                elif not v.startswith("#"):
                    self.problems.append(f"link that leaves the page: <{tag} {name}={value!r}>")
        if tag == "meta":
            kind = "charset" if "charset" in a else (a.get("http-equiv") or a.get("name") or "").lower()
            if kind not in ALLOWED_META:
                self.problems.append(f"unexpected <meta {a}>")
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data
        self.text.append(data)


def check_dom(path, hostile, ws=False):
    d = Dom()
    with open(path, encoding="utf-8", errors="replace") as f:
        d.feed(f.read())
    if d.problems:
        fail(f"{path}: injected markup in the DOM:\n  " + "\n  ".join(d.problems[:20]))
    if d.tags.get("script", 0) != 1:
        fail(f"{path}: {d.tags.get('script', 0)} <script> elements, expected only ours")
    if d.tags.get("style", 0) != 1:
        fail(f"{path}: {d.tags.get('style', 0)} <style> elements, expected only ours")
    if not d.title or not d.title.startswith("wirecheck") or "XSS" in d.title:
        fail(f"{path}: the title changed, a script ran: {d.title!r}")
    if d.root_attrs.get("data-ready") != "1":
        fail(f"{path}: the report's own script did not run (CSP hash or JS error)")
    sections = d.tags.get("section", 0)
    text = "".join(d.text)
    if hostile:
        # The payloads must be on the page as text, or the test proves nothing.
        needles = [
            "<script>document.title='XSS-script'</script>",
            "onerror=\"document.title='XSS-img'\"",
            "</textarea><script>document.title='XSS-textarea'</script>",
            "javascript:document.title='XSS-js'",
            "<svg onload=document.title='XSS-svg'>",
            "<script>document.title='XSS-case-title'</script>",
        ]
        if ws:
            needles += [
                "\"><img src=x onerror=\"document.title='XSS-close-reason'\">",
                "<script>document.title='XSS-frame'</script>",
            ]
        missing = [n for n in needles if n not in text]
        if missing:
            fail(f"{path}: payloads not shown as text: {missing}")
        shown = text.count("XSS-")
        print(f"ok: {path}: {sections} sections, {shown} payloads shown as text, no injected "
              f"element or handler, title {d.title!r}, own script ran")
    else:
        print(f"ok: {path}: {sections} sections, title {d.title!r}, own script ran")


def png_rows(path, max_rows):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace:
                fail(f"{path}: unsupported PNG format (depth {depth}, colour type {color})")
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(min(height, max_rows)):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def check_png(path, min_kb):
    size = len(open(path, "rb").read())
    if size < min_kb * 1024:
        fail(f"{path}: {size} bytes, less than {min_kb} KiB: the page did not render")
    width, height, bpp, rows = png_rows(path, 400)
    colours = set()
    for row in rows:
        for x in range(0, len(row), bpp * 3):
            colours.add(row[x:x + 3])
    if len(colours) < 16:
        fail(f"{path}: only {len(colours)} colours in the top rows: blank or single-colour page")
    print(f"ok: {path}: {width}x{height}, {size // 1024} KiB, {len(colours)} colours in the top 400 rows")


def check_markdown(path):
    text = open(path, encoding="utf-8").read()
    if len(text.encode()) >= 1024 * 1024:
        fail(f"{path}: {len(text.encode())} bytes, GitHub refuses step summaries of 1 MiB")
    prose, fence = [], None
    for line in text.splitlines():
        ticks = re.match(r"^(`{3,})", line)
        if fence is None and ticks:
            fence = ticks.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            prose.append(line)
    prose = "\n".join(prose)
    for bad in ("<script", "<img", "<svg", "<iframe", "<a href", "](javascript", "<details open"):
        if bad in prose:
            fail(f"{path}: {bad!r} outside code blocks")
    print(f"ok: {path}: {len(text.encode()) // 1024} KiB, no live markup outside code blocks")


def inflate(src, dst, n):
    """Copies the run's cases (ids suffixed) until there are exactly n of them."""
    r = json.load(open(src))
    cases = []
    k = 0
    while len(cases) < n and r["cases"]:
        for c in r["cases"]:
            if len(cases) == n:
                break
            c = copy.deepcopy(c)
            c["id"] = f"{c['id']}-copy{k}"
            cases.append(c)
        k += 1
    r["cases"] = cases
    json.dump(r, open(dst, "w"))
    print(f"{dst}: {len(cases)} cases")


PERF_SCRIPT = """<script>
(function () {
  var f = document.getElementById('filters'), el = f.elements, runs = [];
  runs.push('parsed=' + performance.now().toFixed(0));
  void document.body.offsetHeight;
  runs.push('laid-out=' + performance.now().toFixed(0));
  function time(label, act) {
    var t0 = performance.now();
    // Reading offsetHeight forces the style and layout work a change causes into the timing.
    for (var i = 0; i < 10; i++) { act(i); void document.body.offsetHeight; }
    runs.push(label + '=' + ((performance.now() - t0) / 10).toFixed(2));
  }
  var box = f.querySelector('input[name=v][value=pass]') || f.querySelector('input[name=v]');
  time('verdict', function () { box.checked = !box.checked; f.dispatchEvent(new Event('change')); });
  time('tag', function (i) { el.tag.selectedIndex = i % el.tag.options.length; f.dispatchEvent(new Event('change')); });
  time('section', function (i) { el.sec.selectedIndex = i % el.sec.options.length; f.dispatchEvent(new Event('change')); });
  time('text', function (i) { el.q.value = i % 2 ? 'http1/h' : ''; f.dispatchEvent(new Event('input')); });
  var t0 = performance.now(); f.reset(); f.dispatchEvent(new Event('change'));
  void document.body.offsetHeight;
  runs.push('reset=' + (performance.now() - t0).toFixed(2));
  runs.push('cases=' + document.querySelectorAll('section.case').length);
  runs.push('load=' + performance.now().toFixed(0));
  document.title = 'PERF ' + runs.join(' ');
})();
</script>"""


def perf_page(src, dst):
    page = open(src, encoding="utf-8").read()
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page, count=1)
    page = page.replace("</body>", PERF_SCRIPT + "</body>", 1)
    open(dst, "w", encoding="utf-8").write(page)


def perf_result(path):
    m = re.search(r"<title>PERF ([^<]*)</title>", open(path, encoding="utf-8").read())
    if not m:
        fail(f"{path}: the timing script did not finish")
    figures = dict(kv.split("=") for kv in m.group(1).split())
    print("filter timings (ms per change, mean of 10): " + m.group(1))
    worst = max(float(v) for k, v in figures.items()
                if k not in ("cases", "load", "parsed", "laid-out"))
    if worst > 250:
        fail(f"a filter change took {worst} ms on {figures['cases']} cases")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "dom":
        check_dom(args[0], "--hostile" in args, "--ws" in args)
    elif cmd == "png":
        check_png(args[0], int(args[1]))
    elif cmd == "markdown":
        check_markdown(args[0])
    elif cmd == "inflate":
        inflate(args[0], args[1], int(args[2]))
    elif cmd == "perf-page":
        perf_page(args[0], args[1])
    elif cmd == "perf-result":
        perf_result(args[0])
    else:
        fail(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
