'use client';
import type { ReactNode } from 'react';

/** A labelled input whose validation message sits right under it. */
export function Field({
  label,
  value,
  onChange,
  error,
  suffix,
  hint,
  testId,
  placeholder = '0.0',
  inputMode = 'decimal',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  suffix?: ReactNode;
  hint?: ReactNode;
  testId: string;
  placeholder?: string;
  inputMode?: 'decimal' | 'text';
}) {
  const id = `f-${testId}`;
  return (
    <div>
      <label htmlFor={id} className="mb-1 flex items-center justify-between text-xs text-muted">
        <span>{label}</span>
        {hint}
      </label>
      <div className={`flex items-center rounded-lg border bg-ink px-3 ${error ? 'border-bad' : 'border-line focus-within:border-accent'}`}>
        <input
          id={id}
          data-testid={testId}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
          }}
          inputMode={inputMode}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="num w-full bg-transparent py-2 text-sm outline-none"
        />
        {suffix}
      </div>
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-bad" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
