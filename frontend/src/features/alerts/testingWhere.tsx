/* For tests only: the address the page is at, to assert what it put there. */
import { useLocation } from 'react-router';

export function Where() {
  const location = useLocation();
  return <div data-testid="where">{location.pathname + location.search}</div>;
}
