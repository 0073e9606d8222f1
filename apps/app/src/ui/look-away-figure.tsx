// The crossed-out eye of the "look away" screens (decorative: the heading says it).
export function LookAwayFigure() {
  return (
    <div className="look-away" aria-hidden="true">
      <svg viewBox="0 0 100 60" focusable="false" aria-hidden="true">
        <path d="M5 30q45-40 90 0q-45 40-90 0z" fill="none" stroke="currentColor" strokeWidth="5" />
        <circle cx="50" cy="30" r="10" fill="currentColor" />
        <path d="M10 55L90 5" stroke="currentColor" strokeWidth="6" strokeLinecap="round" />
      </svg>
    </div>
  );
}
