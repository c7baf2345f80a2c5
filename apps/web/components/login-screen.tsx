'use client';

import { useState, type FormEvent } from 'react';
import { Button, Card } from './ui';

/** LAN browsers log in with the admin passcode; the touchscreen on the Pi itself never sees this. */
export function LoginScreen({ baseUrl, onLoggedIn }: { baseUrl: string; onLoggedIn: () => void }) {
  const [passcode, setPasscode] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const response = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ passcode }),
      });
      const body = (await response.json()) as { status: string; error?: { message: string } };
      if (body.status === 'ok') onLoggedIn();
      else setError(body.error?.message ?? 'login failed');
    } catch {
      setError('the kiosk agent is not reachable');
    }
  }

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card title="Log in to the kiosk" className="w-full max-w-md">
        <form onSubmit={submit} className="flex flex-col gap-3">
          <label className="flex flex-col gap-1">
            Admin passcode
            <input
              type="password"
              autoComplete="current-password"
              className="min-h-12 rounded-lg bg-slate-950 px-3 text-lg ring-1 ring-slate-700"
              value={passcode}
              onChange={(e) => setPasscode(e.target.value)}
            />
          </label>
          {error && (
            <p role="alert" className="text-rose-300">
              {error}
            </p>
          )}
          <Button type="submit" tone="primary">
            Log in
          </Button>
        </form>
      </Card>
    </main>
  );
}
