// The "look away" screens before the person types a user-ID, PIN or password: the crossed-out eye
// (decorative: the heading says it), why, and one button onwards.
import { Actions, Page } from './page.tsx';

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

export function LookAwayPage(props: {
  title: string;
  body: string;
  next: string;
  onNext: () => void;
  part?: 1 | 2 | 3;
}) {
  return (
    <Page title={props.title} part={props.part}>
      <LookAwayFigure />
      <p>{props.body}</p>
      <Actions>
        <button type="button" className="primary" onClick={props.onNext}>
          {props.next}
        </button>
      </Actions>
    </Page>
  );
}
