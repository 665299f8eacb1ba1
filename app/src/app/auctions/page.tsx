import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuctionsPage } from '../../components/auctions/AuctionsPage';

export const metadata: Metadata = { title: 'Auctions' };

export default function Page() {
  return (
    <Suspense>
      <AuctionsPage />
    </Suspense>
  );
}
