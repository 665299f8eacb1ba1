import type { Metadata } from 'next';
import { BidderPage } from '../../../components/bidders/BidderPage';

export const metadata: Metadata = { title: 'Bidder' };

export default async function Page({ params }: { params: Promise<{ address: string }> }) {
  const { address } = await params;
  return <BidderPage address={address} />;
}
