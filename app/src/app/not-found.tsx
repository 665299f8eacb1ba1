import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="py-20 text-center">
      <h1 className="text-2xl font-bold">Not found</h1>
      <Link href="/" className="mt-4 inline-block text-accent">
        Back to the overview
      </Link>
    </div>
  );
}
