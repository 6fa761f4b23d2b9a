// A chart model → an SVG element with axes, lines and a legend. Colors come
// from CSS classes (`c0`…`c7`) bound to the theme's chart colors.

import type { ChartModel } from '../gpu/chart';
import { el, svg } from './dom';

export function chartFigure(title: string, model: ChartModel, ariaLabel: string): HTMLElement {
  const { plot } = model;
  const root = svg('svg', {
    viewBox: `0 0 ${model.width} ${model.height}`,
    class: 'chart',
    role: 'img',
    'aria-label': ariaLabel,
  });
  for (const t of model.yTicks) {
    root.appendChild(svg('line', { x1: plot.left, x2: plot.right, y1: t.pos, y2: t.pos, class: 'grid' }));
    root.appendChild(svg('text', { x: plot.left - 6, y: t.pos + 4, class: 'tick', 'text-anchor': 'end' }, t.label));
  }
  for (const [i, t] of model.xTicks.entries()) {
    const anchor = i === 0 ? 'start' : i === model.xTicks.length - 1 ? 'end' : 'middle';
    root.appendChild(svg('text', { x: t.pos, y: model.height - 4, class: 'tick', 'text-anchor': anchor }, t.label));
  }
  // Highlighted lines last, so they are drawn on top.
  const lines = [...model.lines].sort((a, b) => Number(a.highlighted) - Number(b.highlighted));
  for (const line of lines) {
    if (!line.d) continue;
    const cls = ['series', `c${line.color % 8}`, line.dashed ? 'dashed' : '', line.highlighted ? 'hl' : '']
      .filter(Boolean)
      .join(' ');
    root.appendChild(svg('path', { d: line.d, class: cls }, svg('title', {}, line.label)));
    if (line.last) {
      root.appendChild(svg('circle', { cx: line.last.x, cy: line.last.y, r: line.highlighted ? 3.5 : 2.5, class: `dot c${line.color % 8}` }));
    }
  }
  if (model.empty) {
    root.appendChild(
      svg('text', { x: (plot.left + plot.right) / 2, y: (plot.top + plot.bottom) / 2, class: 'tick', 'text-anchor': 'middle' }, 'no readings yet'),
    );
  }
  const legend = el('ul', { class: 'legend' });
  for (const line of model.lines) {
    legend.appendChild(
      el('li', { class: line.highlighted ? 'hl' : '' }, el('span', { class: `swatch c${line.color % 8}${line.dashed ? ' dashed' : ''}` }), line.label),
    );
  }
  return el('figure', { class: 'chart-figure' }, el('figcaption', {}, title), root, legend);
}
