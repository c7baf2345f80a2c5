export function PinDisplay({ pin, deviceName }: { pin: string; deviceName: string }) {
  return (
    <div className="flex flex-col items-center gap-3 text-center">
      <p className="text-xl text-slate-300">
        On your phone: Wi-Fi Direct → <strong className="text-slate-100">{deviceName}</strong> → enter this
        PIN
      </p>
      <p
        aria-label="PIN"
        data-testid="pin"
        className="font-mono text-6xl font-bold tracking-wider whitespace-nowrap text-sky-300 tabular-nums lg:text-8xl"
      >
        {pin.slice(0, 4)}
        <span className="inline-block w-5" aria-hidden="true" />
        {pin.slice(4)}
      </p>
    </div>
  );
}
