/** The fleet tests' settings (test/fixtures/sharding.ts): the bench measures the same fleet. */
export { fleetSharding as benchSharding } from "../test/fixtures/sharding.js"
