import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Tone = 'primary' | 'danger' | 'neutral' | 'success';

const tones: Record<Tone, string> = {
  primary: 'bg-sky-600 hover:bg-sky-500 active:bg-sky-700 text-white',
  success: 'bg-emerald-600 hover:bg-emerald-500 active:bg-emerald-700 text-white',
  danger: 'bg-rose-700 hover:bg-rose-600 active:bg-rose-800 text-white',
  neutral: 'bg-slate-700 hover:bg-slate-600 active:bg-slate-800 text-slate-100',
};

/** A touch-sized button (≥ 48 px high). */
export function Button({
  tone = 'neutral',
  className = '',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  return (
    <button
      type="button"
      {...props}
      className={`min-h-12 min-w-12 rounded-xl px-5 text-lg font-medium transition-colors disabled:opacity-50 ${tones[tone]} ${className}`}
    />
  );
}

export function Card({
  title,
  children,
  className = '',
}: {
  title?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`rounded-2xl bg-slate-900 p-4 ring-1 ring-slate-800 ${className}`} aria-label={title}>
      {title && <h2 className="mb-3 text-lg font-semibold text-slate-300">{title}</h2>}
      {children}
    </section>
  );
}

export function formatSince(epochMs: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - epochMs) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Renders a peer-chosen name safely: control characters made visible, length bounded (React escapes HTML). */
export function PeerName({ name, address }: { name: string | null; address: string }) {
  const shown = name ? name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD') : null;
  return (
    <span className="block min-w-0">
      <span className="block truncate text-lg font-medium" title={shown ?? address}>
        {shown && shown.length > 0
          ? shown.length > 40
            ? `${shown.slice(0, 40)}…`
            : shown
          : 'Unnamed device'}
      </span>
      <span className="block font-mono text-base text-slate-400">{address}</span>
    </span>
  );
}

/** A modal that takes over the screen (approval requests, the peer-PIN keypad). */
export function TakeoverDialog({
  title,
  accent,
  wide = false,
  children,
}: {
  title: string;
  accent: 'sky' | 'violet';
  wide?: boolean;
  children: ReactNode;
}) {
  const titleId = `dialog-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      className={`fixed inset-0 flex items-center justify-center bg-slate-950/90 p-4 ${accent === 'sky' ? 'z-40' : 'z-30'}`}
    >
      <div
        className={`flex w-full flex-col gap-4 rounded-3xl bg-slate-900 p-6 ring-2 ${wide ? 'max-w-xl' : 'max-w-md'} ${accent === 'sky' ? 'ring-sky-500' : 'ring-violet-500'}`}
      >
        <h2 id={titleId} className="text-2xl font-semibold">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}
