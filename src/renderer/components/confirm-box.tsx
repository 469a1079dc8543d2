import { type ReactNode, useEffect, useRef } from 'react';

/**
 * An inline confirmation (issue 16): it takes the focus and scrolls into view when it opens (so it is
 * seen at 720 px), Esc cancels it, and the focus goes back to where it was.
 */
export function ConfirmBox({
  label,
  onCancel,
  children,
}: {
  label: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    box.current?.scrollIntoView({ block: 'nearest' });
    box.current?.focus();
    return () => {
      const back = opener.current as HTMLElement | null;
      if (back?.isConnected && document.activeElement === document.body) back.focus();
    };
  }, []);
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-label={label}
      aria-modal="false"
      tabIndex={-1}
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      {children}
    </div>
  );
}
