import { CODE_LABELS, type ResultCode, type Severity } from '../../shared/codes';

/** Icon per severity: the chip never relies on colour alone (icon + text + colour). */
export const SEVERITY_ICON: Record<Severity, string> = { ok: '✓', info: 'ℹ', warning: '⚠', error: '✕' };
export const SEVERITY_LABEL: Record<Severity, string> = { ok: 'OK', info: 'Info', warning: 'Warning', error: 'Error' };

export function CodeChip({ code, severity }: { code: ResultCode; severity: Severity }) {
  return (
    <span className={`chip chip-${severity}`} title={`${SEVERITY_LABEL[severity]}: ${CODE_LABELS[code]}`}>
      <span className="chip-icon" aria-hidden="true">
        {SEVERITY_ICON[severity]}
      </span>
      {CODE_LABELS[code]}
    </span>
  );
}

export function PassFail({ ok, label }: { ok: boolean; label?: string }) {
  return (
    <span className={`chip ${ok ? 'chip-ok' : 'chip-error'}`}>
      <span className="chip-icon" aria-hidden="true">
        {ok ? '✓' : '✕'}
      </span>
      {label ?? (ok ? 'Pass' : 'Fail')}
    </span>
  );
}
