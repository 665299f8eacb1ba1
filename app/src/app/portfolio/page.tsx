import type { Metadata } from 'next';
import { PortfolioIndexPage } from '../../components/portfolio/PortfolioPage';

export const metadata: Metadata = { title: 'Portfolio' };

export default function Page() {
  return <PortfolioIndexPage />;
}
