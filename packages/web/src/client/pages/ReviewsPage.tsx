import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { Link, navigate } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';

interface ReviewSummary {
  id: string;
  slug: string;
  title: string;
  description: string;
}

const SLUG_HINT =
  'Lowercase letters, digits and hyphens, starting with a letter or digit, e.g. exercise-depression';

export function ReviewsPage() {
  const { data, error } = useApi<{ reviews: ReviewSummary[] }>('/reviews');
  const [slug, setSlug] = useState('');
  const [title, setTitle] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api('POST', '/reviews', { slug, title });
      navigate(`/reviews/${slug}`);
    } catch (err) {
      setFormError(errorText(err));
    }
  };
  return (
    <main>
      <h1>Your reviews</h1>
      {error && <p className="error">{errorText(error)}</p>}
      {data?.reviews.length === 0 && <p className="muted">You are not a member of any review yet.</p>}
      {data?.reviews.map((r) => (
        <div className="card" key={r.id}>
          <h2 style={{ margin: 0 }}>
            <Link to={`/reviews/${r.slug}`}>{r.title}</Link>
          </h2>
          <p className="muted">{r.description}</p>
        </div>
      ))}
      <div className="card">
        <h2>New review</h2>
        <form
          onSubmit={create}
          style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap', alignItems: 'end' }}
        >
          <label>
            Short name, for the review’s address
            <br />
            <input
              value={slug}
              onChange={(e) => {
                setSlug(e.target.value);
                // The browser's own words say only that the name does not fit: say what does.
                const input = e.target;
                input.setCustomValidity('');
                if (input.validity.patternMismatch) input.setCustomValidity(SLUG_HINT);
              }}
              pattern="[a-z0-9][a-z0-9\-]*"
              title={SLUG_HINT}
              placeholder="e.g. exercise-depression"
              required
            />
          </label>
          <label>
            Title
            <br />
            <input value={title} onChange={(e) => setTitle(e.target.value)} required size={40} />
          </label>
          <button type="submit">Create</button>
        </form>
        {formError && <p className="error">{formError}</p>}
      </div>
    </main>
  );
}
