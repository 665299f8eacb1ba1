import type { Metadata } from 'next';
import { VaultsPage } from '../../components/vaults/VaultsPage';

export const metadata: Metadata = { title: 'Vaults' };

export default function Page() {
  return <VaultsPage />;
}
