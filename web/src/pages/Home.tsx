import { Link } from '../router';
import { useSession } from '../session';

export function Home() {
  const { tenant, user } = useSession();
  return (
    <>
      <h1>Welcome, {user.name}</h1>
      <p>
        You are signed in to the tenant <strong>{tenant.name}</strong> (tenancy <code>{tenant.ocid}</code>, home region {tenant.homeRegion}).
      </p>
      <ul>
        <li>
          <Link to="/communities">Communities</Link>: share data with other tenants.
        </li>
        <li>
          <Link to="/organizations/tenancies">Organization Management</Link>: tenancies of your organization, invitations, governance and subscriptions.
        </li>
      </ul>
    </>
  );
}
