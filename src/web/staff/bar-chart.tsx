/**
 * A horizontal bar chart drawn on the server as SVG: it needs no script, scales to the screen,
 * and is announced as one image whose description lists every bar (the same numbers are in the
 * table beside it).
 */
export function BarChart({ id, title, bars }: { id: string; title: string; bars: { label: string; value: number }[] }) {
  const rowHeight = 28;
  const labelWidth = 150;
  const width = 400;
  const room = width - labelWidth - 50;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * rowHeight + 8;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{bars.map((b) => `${b.label}: ${b.value}`).join('; ')}</desc>
      {bars.map((b, i) => {
        const y = i * rowHeight + 4;
        const w = Math.round((b.value / max) * room);
        return (
          <g key={b.label}>
            <text x={labelWidth - 8} y={y + 18} text-anchor="end">
              {b.label.length > 20 ? `${b.label.slice(0, 19)}…` : b.label}
            </text>
            <rect
              class="bar"
              x={labelWidth}
              y={y + 4}
              width={Math.max(w, b.value > 0 ? 2 : 0)}
              height={rowHeight - 10}
            />
            <text x={labelWidth + w + 6} y={y + 18}>
              {b.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
