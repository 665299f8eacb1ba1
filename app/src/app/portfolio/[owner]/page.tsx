import type { Metadata } from 'next';
import { PortfolioOwnerPage } from '../../../components/portfolio/PortfolioPage';

export const metadata: Metadata = { title: 'Portfolio' };

export default async function Page({ params }: { params: Promise<{ owner: string }> }) {
  const { owner } = await params;
  return <PortfolioOwnerPage owner={owner} />;
}
