import type { Metadata } from 'next';
import { AuctionDetailPage } from '../../../../components/auction/AuctionDetailPage';

export const metadata: Metadata = { title: 'Auction' };

export default async function Page({ params }: { params: Promise<{ house: string; id: string }> }) {
  const { house, id } = await params;
  return <AuctionDetailPage house={house} id={id} />;
}
