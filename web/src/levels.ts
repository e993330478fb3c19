// The four warning levels and their colours (docs/WARNINGS.md, CAP.md),
// with a text colour on each that meets WCAG AA contrast.

export const LEVEL_NAMES = ["none", "blue", "yellow", "orange", "red"] as const;

export const LEVEL_FILL = ["#2a3a4c", "#2f6fd6", "#f2c200", "#f07d1a", "#d32f2f"] as const;

export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? `level ${level}`;
}

export function levelBadge(level: number): HTMLSpanElement {
  const badge = document.createElement("span");
  badge.className = `badge level-${level}`;
  badge.textContent = levelName(level);
  return badge;
}
