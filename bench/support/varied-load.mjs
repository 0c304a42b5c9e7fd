/**
 * A load generator process of its own: autocannon posting JSON bodies that differ per request
 * (a random phone number from a range), so a benchmark cannot be answered from one cached row.
 * Takes its settings as JSON in argv[2] and prints autocannon's result as JSON.
 */
import autocannon from 'autocannon';

const { url, connections, seconds, headers, first, count, extra } = JSON.parse(process.argv[2]);
const phone = () => `+${first + Math.floor(Math.random() * count)}`;
const result = await autocannon({
  url,
  connections,
  duration: seconds,
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ phoneNumber: phone(), ...extra }) }),
    },
  ],
});
process.stdout.write(JSON.stringify(result));
