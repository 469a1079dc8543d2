import type { ReactNode } from 'react';

/** A screen that is not built yet says what will come there. */
export function Placeholder({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="screen">
      <h1>{title}</h1>
      <div className="placeholder">{children}</div>
    </section>
  );
}
