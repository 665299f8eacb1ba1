import type { Metadata } from 'next';
import { Suspense } from 'react';
import { VaultsPage } from '../../components/vaults/VaultsPage';

export const metadata: Metadata = { title: 'Vaults' };

export default function Page() {
  return (
    <Suspense>
      <VaultsPage />
    </Suspense>
  );
}
