// One screen of the app: its heading (focused when the screen opens, so screen readers announce it), the
// page title, where in the journey it is, and its content.
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export function Page(props: {
  title: string;
  part?: 1 | 2 | 3 | undefined;
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    document.title = t('app.screenTitle', { title: props.title });
  }, [props.title, t]);
  return (
    <section className={props.wide ? 'page wide' : 'page'} aria-labelledby="page-title">
      {props.part ? <p className="part">{t('app.stepOf', { step: props.part, total: 3 })}</p> : null}
      <h1 id="page-title" ref={heading} tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </section>
  );
}

export function Actions(props: { children: ReactNode }) {
  return <div className="actions">{props.children}</div>;
}

export function Busy(props: { label: string }) {
  return (
    <p className="busy" role="status">
      <span className="spinner" aria-hidden="true" /> {props.label}
    </p>
  );
}

/** An error shown on the form that caused it; announced at once. */
export function InlineError(props: { id: string; children: ReactNode }) {
  return (
    <div id={props.id} className="inline-error" role="alert">
      {props.children}
    </div>
  );
}
