// "Swipe to approve" as a native range input: dragged to the end with a finger or a mouse, or moved there by
// keyboard (End, arrows, Page Up) — screen readers announce it as a slider with its own name (WCAG 2.5.7:
// a single-pointer alternative, the approve button of the PIN form, follows it).
import { useState } from 'react';

export function SwipeToApprove(props: {
  label: string;
  hint: string;
  onSwiped: () => void;
  disabled?: boolean;
}) {
  const [value, setValue] = useState(0);
  const settle = () => {
    if (value < 100) setValue(0);
  };
  return (
    <div className="swipe">
      <label htmlFor="swipe" className="swipe-label">
        {props.label}
      </label>
      <p id="swipe-hint" className="hint">
        {props.hint}
      </p>
      <input
        id="swipe"
        type="range"
        min={0}
        max={100}
        step={5}
        value={value}
        disabled={props.disabled}
        aria-describedby="swipe-hint"
        aria-valuetext={`${value} %`}
        data-testid="swipe"
        onChange={(e) => {
          const v = Number(e.target.value);
          setValue(v);
          if (v >= 100) props.onSwiped();
        }}
        onPointerUp={settle}
        onBlur={settle}
      />
    </div>
  );
}
