// Small presentational pieces shared by every page.
import type { ReactNode } from 'react';

export function Panel({ title, children, actions, testId }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <section className="rounded-xl border border-line bg-panel p-5" data-testid={testId}>
      {(title ?? actions) !== undefined && (
        <div className="mb-4 flex items-center justify-between gap-3">
          {title !== undefined && <h2 className="text-sm font-semibold uppercase tracking-wide text-muted">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <div>
      <div className="text-xs text-muted">{label}</div>
      <div className="num mt-0.5 text-lg font-semibold" data-testid={testId}>
        {value}
      </div>
      {hint !== undefined && <div className="text-xs text-muted">{hint}</div>}
    </div>
  );
}

export function Notice({ tone, title, children, testId }: { tone: 'info' | 'warn' | 'bad'; title: string; children?: ReactNode; testId?: string }) {
  const color = tone === 'bad' ? 'border-bad/50 bg-bad/10' : tone === 'warn' ? 'border-warn/50 bg-warn/10' : 'border-accent/40 bg-accent/10';
  return (
    <div className={`rounded-lg border px-4 py-3 text-sm ${color}`} role={tone === 'info' ? 'status' : 'alert'} data-testid={testId}>
      <div className="font-semibold">{title}</div>
      {children !== undefined && <div className="mt-1 text-slate-300">{children}</div>}
    </div>
  );
}

export function Button({
  children,
  onClick,
  disabled,
  kind = 'primary',
  testId,
  type = 'button',
}: {
  children: ReactNode;
  onClick?: () => void;
  disabled?: boolean;
  kind?: 'primary' | 'secondary' | 'danger';
  testId?: string;
  type?: 'button' | 'submit';
}) {
  const styles =
    kind === 'primary'
      ? 'bg-accent text-ink hover:bg-accent/90'
      : kind === 'danger'
        ? 'bg-bad/90 text-ink hover:bg-bad'
        : 'border border-line bg-transparent text-slate-200 hover:bg-line/60';
  return (
    <button
      type={type}
      onClick={onClick}
      disabled={disabled}
      data-testid={testId}
      className={`rounded-lg px-3.5 py-2 text-sm font-semibold transition disabled:cursor-not-allowed disabled:opacity-40 ${styles}`}
    >
      {children}
    </button>
  );
}

export function Skeleton({ className = 'h-5 w-24' }: { className?: string }) {
  return <span className={`inline-block animate-pulse rounded bg-line ${className}`} />;
}
