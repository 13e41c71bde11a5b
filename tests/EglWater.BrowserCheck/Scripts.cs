namespace EglWater.BrowserCheck;

/// <summary>
/// The functions evaluated in the page. Generic: they know HTML, SVG and CSS, not the report that is checked.
/// Each element is named "selector-ish": its nearest section and figure/table, then itself
/// (e.g. <c>section#s1 figure.chart-box.daily svg.chart</c>), with the section's id and the nearest
/// <c>data-subscription</c> beside it, so that a test can pick values out without knowing the page's layout.
/// </summary>
internal static class Scripts
{
    private const string Helpers = """
        const txt = s => (s || '').replace(/\s+/g, ' ').trim();
        const own = el => {
          let s = el.localName;
          if (el.id) s += '#' + el.id;
          else if (el.classList && el.classList.length) s += '.' + [...el.classList].join('.');
          return s;
        };
        const nameOf = el => {
          const parts = [own(el)];
          const up = el.parentElement;
          const box = up && up.closest('figure, table');
          const sec = up && up.closest('section');
          if (box && (!sec || sec.contains(box))) parts.unshift(own(box));
          if (sec) parts.unshift(own(sec));
          return parts.join(' ');
        };
        const where = el => {
          const sec = el.closest('section');
          const sub = el.closest('[data-subscription]');
          return { section: sec ? (sec.id || null) : null, subscription: sub ? sub.getAttribute('data-subscription') : null };
        };
        const round = v => Math.round(v * 100) / 100;
        const scroller = el => {
          for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o !== 'visible' && o !== 'clip') return p;
          }
          return null;
        };
        const svgFacts = () => [...document.querySelectorAll('svg')]
          .filter(s => !(s.parentElement && s.parentElement.closest('svg')))
          .map((s, index) => {
            const r = s.getBoundingClientRect();
            const cs = getComputedStyle(s);
            let content = null;
            try { const b = s.getBBox(); content = { width: round(b.width), height: round(b.height) }; } catch (e) { }
            const titleEl = [...s.children].find(c => c.localName === 'title');
            const lb = s.getAttribute('aria-labelledby');
            const sc = scroller(s);
            return Object.assign({
              index, name: nameOf(s), id: s.id || null, class: s.getAttribute('class'), role: s.getAttribute('role'),
              ariaHidden: s.getAttribute('aria-hidden') === 'true', ariaLabel: s.getAttribute('aria-label'),
              labelledBy: lb ? txt(lb.split(/\s+/).map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent).join(' ')) : null,
              title: titleEl ? txt(titleEl.textContent) : null,
              x: round(r.left + window.scrollX), y: round(r.top + window.scrollY), width: round(r.width), height: round(r.height),
              contentWidth: content ? content.width : null, contentHeight: content ? content.height : null,
              shapes: s.querySelectorAll('path, rect, circle, ellipse, line, polyline, polygon, text, use, image').length,
              display: cs.display, visibility: cs.visibility,
              scrollContainer: sc ? nameOf(sc) : null,
            }, where(s));
          });
        """;

    /// <summary>Facts of the page as laid out on screen at the current viewport.</summary>
    public const string Screen = "() => {\n" + Helpers + """
          const root = document.documentElement;
          const clientWidth = root.clientWidth;
          const overflowing = [];
          for (const el of document.body ? document.body.querySelectorAll('*') : []) {
            if (overflowing.length >= 10) break;
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.right + window.scrollX <= clientWidth + 0.5) continue;
            if (el.parentElement && el.parentElement.closest('svg')) continue;
            if (scroller(el)) continue;
            overflowing.push({ name: nameOf(el), right: round(r.right + window.scrollX) });
          }
          return {
            title: document.title,
            lang: root.getAttribute('lang'),
            scripts: document.scripts.length,
            viewportWidth: window.innerWidth,
            clientWidth,
            scrollWidth: root.scrollWidth,
            horizontalOverflow: root.scrollWidth > clientWidth,
            overflowing,
            documentHeight: root.scrollHeight,
            svgs: svgFacts(),
            data: [...document.querySelectorAll('data')].map(d => Object.assign({
              name: nameOf(d), id: d.id || null, class: d.getAttribute('class'),
              value: d.getAttribute('value'), text: txt(d.textContent), dataset: Object.assign({}, d.dataset),
            }, where(d))),
            times: [...document.querySelectorAll('time')].map(t => Object.assign({
              name: nameOf(t), id: t.id || null, class: t.getAttribute('class'),
              datetime: t.getAttribute('datetime'), text: txt(t.textContent),
            }, where(t))),
          };
        }
        """;

    /// <summary>Facts of the page under print media emulation.</summary>
    public const string Print = "() => {\n" + Helpers + """
          const blocks = [...new Set([...document.querySelectorAll('section, article, [data-subscription]')])];
          return {
            printMediaMatches: window.matchMedia('print').matches,
            viewportWidth: window.innerWidth,
            sections: blocks.map(el => {
              const cs = getComputedStyle(el);
              return Object.assign({
                name: nameOf(el), id: el.id || null, display: cs.display,
                breakBefore: cs.breakBefore, breakAfter: cs.breakAfter, breakInside: cs.breakInside,
                pageBreakBefore: cs.pageBreakBefore, pageBreakAfter: cs.pageBreakAfter, pageBreakInside: cs.pageBreakInside,
              }, where(el));
            }),
            svgs: svgFacts().map(s => ({ index: s.index, name: s.name, id: s.id, width: s.width, height: s.height, display: s.display })),
            scrollWidth: document.documentElement.scrollWidth,
          };
        }
        """;
}
