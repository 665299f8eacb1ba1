'use client';
import { useState } from 'react';
import { useConnect, useConnection, useConnectors, useDisconnect } from 'wagmi';
import { shortAddress } from '../lib/format';
import { IS_LOCAL_CHAIN } from '../lib/env';
import { ANVIL_ACCOUNTS, isDevWallet } from '../wallet/devWallet';
import { Button } from './ui';

/** Connect an injected wallet or, on the local chain only, a development wallet (anvil account). */
export function WalletButton() {
  const { address, status, connector } = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const [open, setOpen] = useState(false);
  const [devIndex, setDevIndex] = useState(0);

  if (status === 'connected') {
    return (
      <div className="flex items-center gap-2">
        {isDevWallet(connector.id) && (
          <span className="rounded bg-warn/15 px-2 py-0.5 text-xs text-warn" data-testid="dev-wallet-badge">
            dev wallet
          </span>
        )}
        <span className="num rounded-lg border border-line px-3 py-2 text-sm" data-testid="wallet-address" title={address}>
          {shortAddress(address)}
        </span>
        <Button
          kind="secondary"
          testId="disconnect"
          onClick={() => {
            disconnect.mutate();
          }}
        >
          Disconnect
        </Button>
      </div>
    );
  }

  const injected = connectors.find((c) => c.type === 'injected');
  const dev = connectors.find((c) => c.id === `dev-${devIndex}`);
  const hasInjected = typeof window !== 'undefined' && 'ethereum' in window;

  return (
    <div className="relative">
      <Button
        testId="connect-button"
        disabled={status === 'connecting' || status === 'reconnecting'}
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        {status === 'connecting' || status === 'reconnecting' ? 'Connecting…' : 'Connect wallet'}
      </Button>
      {open && (
        <div className="absolute left-0 z-20 mt-2 w-72 max-w-[calc(100vw-2rem)] sm:left-auto sm:right-0 space-y-3 rounded-xl border border-line bg-panel p-4 shadow-xl" data-testid="connect-menu">
          <div>
            <Button
              kind="secondary"
              testId="connect-injected"
              disabled={!injected || !hasInjected}
              onClick={() => {
                if (injected) connect.mutate({ connector: injected }, { onSuccess: () => { setOpen(false); } });
              }}
            >
              Browser wallet
            </Button>
            {!hasInjected && <p className="mt-1 text-xs text-muted" data-testid="no-injected">No browser wallet found (install one, e.g. MetaMask).</p>}
          </div>
          {IS_LOCAL_CHAIN && (
            <div className="border-t border-line pt-3">
              <label htmlFor="dev-account" className="text-xs text-muted">
                Development wallet (local chain only)
              </label>
              <div className="mt-1 flex gap-2">
                <select
                  id="dev-account"
                  data-testid="dev-wallet-select"
                  value={devIndex}
                  onChange={(e) => {
                    setDevIndex(Number(e.target.value));
                  }}
                  className="num flex-1 rounded-lg border border-line bg-ink px-2 py-2 text-sm"
                >
                  {ANVIL_ACCOUNTS.map((a, i) => (
                    <option key={a} value={i}>
                      #{i} {shortAddress(a)}
                    </option>
                  ))}
                </select>
                <Button
                  testId="connect-dev-wallet"
                  disabled={!dev}
                  onClick={() => {
                    if (dev) connect.mutate({ connector: dev }, { onSuccess: () => { setOpen(false); } });
                  }}
                >
                  Use
                </Button>
              </div>
            </div>
          )}
          {connect.error && (
            <p className="text-xs text-bad" data-testid="connect-error">
              {connect.error.name === 'UserRejectedRequestError' ? 'You rejected the connection request.' : connect.error.message.split('\n')[0]}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
