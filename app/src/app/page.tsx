import { OverviewPage } from '../components/overview/OverviewPage';

export default function Page() {
  return <OverviewPage />;
}
