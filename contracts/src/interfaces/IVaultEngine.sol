// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultEngine
/// @notice Gavel's ledger: collateral types (ilks), vaults per (ilk, owner), the stablecoin debt drawn
/// against them, and system accounting (surplus, bad debt).
/// @dev Units (docs/contracts.md): stablecoin amounts, prices, debt are WAD; `rate` and
/// `stabilityFeeRay` are RAY; names ending in `Rad` are RAD (WAD × RAY, 45 decimals). Collateral is
/// in the token's native units. A vault's debt is `normalizedDebt × rate` (RAD); in WAD it is rounded
/// up. Accounting identity, exact to the wei (see VaultEngine.events.md):
///     stablecoin.totalSupply() × RAY + surplusRad() == totalDebtRad() + badDebtRad()
interface IVaultEngine {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `ilk` has not been added.
    error UnknownIlk(bytes32 ilk);

    /// @notice `ilk` has already been added.
    error IlkAlreadyExists(bytes32 ilk);

    /// @notice The ilk id is zero.
    error ZeroIlk();

    /// @notice The maximum number of ilks (`MAX_ILKS`) has been reached.
    error TooManyIlks();

    /// @notice A zero address was given where an account or token is required.
    error ZeroAddress();

    /// @notice `token` reports `decimals` decimals; more than 18 is not supported.
    error UnsupportedDecimals(address token, uint256 decimals);

    /// @notice A zero amount (or a zero change) was given.
    error ZeroAmount();

    /// @notice `amount` does not fit the ledger (above `type(uint128).max`).
    error AmountOverflow(uint256 amount);

    /// @notice A vault's collateral, scaled to 18 decimals, would exceed `type(uint128).max`.
    error CollateralOverflow(uint256 collateral);

    /// @notice `caller` may not make `owner`'s vault riskier (not the owner nor an allowed operator).
    error NotAllowed(address owner, address caller);

    /// @notice The change leaves the vault unsafe: `collateralValue` (WAD at spot, rounded down) is below
    /// `debt` (WAD, rounded up).
    error UnsafeVault(bytes32 ilk, address owner, uint256 collateralValue, uint256 debt);

    /// @notice The change leaves the vault with debt `debt` (WAD, rounded up) in (0, `dust`).
    error DebtBelowDust(bytes32 ilk, address owner, uint256 debt, uint256 dust);

    /// @notice The change takes the ilk's total debt to `ilkDebt` (WAD, rounded up), above `debtCeiling`.
    error CeilingExceeded(bytes32 ilk, uint256 ilkDebt, uint256 debtCeiling);

    /// @notice `requested` collateral exceeds the vault's `available` collateral.
    error InsufficientCollateral(uint256 requested, uint256 available);

    /// @notice Repaying `amount` (normalized: `normalizedAmount`) exceeds the vault's normalized debt
    /// `normalizedDebt`. Use `close` to repay everything.
    error RepayExceedsDebt(uint256 amount, uint256 normalizedAmount, uint256 normalizedDebt);

    /// @notice Seizing `requested` normalized debt exceeds the vault's `available` normalized debt.
    error SeizeExceedsDebt(uint256 requested, uint256 available);

    /// @notice Depositing `expected` of `token` credited only `received` to the engine (fee-on-transfer
    /// or rebasing tokens are not supported).
    error FeeOnTransfer(address token, uint256 expected, uint256 received);

    /// @notice A collateral transfer of `amount` `token` from `from` to `to` failed or returned false.
    error CollateralTransferFailed(address token, address from, address to, uint256 amount);

    /// @notice `amountRad` of surplus was asked for but only `surplusRad` exists.
    error InsufficientSurplus(uint256 amountRad, uint256 surplusRad);

    /// @notice Surplus cannot leave the engine while `badDebtRad` of bad debt remains after netting.
    error BadDebtOutstanding(uint256 badDebtRad);

    /// @notice Accruing fees would take the rate accumulator to `rate` (RAY), above `type(uint128).max`.
    error RateOverflow(uint256 rate);

    /// @notice `token` did not answer `decimals()` with a number.
    error InvalidToken(address token);

    /// @notice No insurance fund is set.
    error InsuranceFundNotSet();

    /// @notice `value` is outside [`min`, `max`] for the parameter being set.
    error ParameterOutOfBounds(uint256 value, uint256 min, uint256 max);

    /// @notice `caller` is not an auction house of `ilk` (`setAuctionHouse`): a house may credit
    /// collateral back to vaults of its own collateral type only.
    error NotAuctionHouse(bytes32 ilk, address caller);

    /// @notice `ilk`'s risk is judged by its risk engine (a portfolio debt line): no isolated vault
    /// operation or isolated safety view applies to it.
    error ExternallyMargined(bytes32 ilk);

    /// @notice `caller` is not `ilk`'s risk engine.
    error NotRiskEngine(bytes32 ilk, address caller);

    /// @notice `ilk` already carries isolated debt (`normalizedDebt`), so it cannot become a portfolio debt line.
    error IlkInUse(bytes32 ilk, uint256 normalizedDebt);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A collateral type was added with defaults: rate = RAY, stabilityFeeRay = RAY,
    /// liquidationRatio = WAD, spot = debtCeiling = dust = normalizedDebt = 0, lastDrip = block time.
    event IlkAdded(bytes32 indexed ilk, address indexed token, uint8 decimals, uint256 scale);

    /// @notice The ilk's debt ceiling (WAD) was set.
    event DebtCeilingSet(bytes32 indexed ilk, uint256 debtCeiling);

    /// @notice The ilk's dust, the minimum debt (WAD) of a vault that has debt, was set.
    event DustSet(bytes32 indexed ilk, uint256 dust);

    /// @notice The ilk's liquidation ratio (WAD) was set. Spot is not recomputed until the spotter pokes.
    event LiquidationRatioSet(bytes32 indexed ilk, uint256 liquidationRatio);

    /// @notice The ilk's per-second stability fee (RAY) was set (after accruing at the old fee).
    event StabilityFeeSet(bytes32 indexed ilk, uint256 stabilityFeeRay);

    /// @notice The spotter wrote a new spot (WAD: mark price / liquidation ratio, rounded down).
    event SpotUpdated(bytes32 indexed ilk, uint256 spot);

    /// @notice Fees accrued: the ilk's rate accumulator is now `rate` (RAY) and `surplusRad` was added
    /// to the surplus (= ilk normalized debt × rate increase).
    event Dripped(bytes32 indexed ilk, uint256 rate, uint256 surplusRad);

    /// @notice `owner` allowed or disallowed `operator` to act for all its vaults.
    event OperatorSet(address indexed owner, address indexed operator, bool allowed);

    /// @notice A vault changed through deposit/withdraw/borrow/repay/close/adjust. `collateralDelta` is
    /// native units moved in (+) or out (−); `debtDelta` is the stablecoin minted (+) or burned (−), WAD;
    /// `collateral` and `normalizedDebt` are the vault's state after the change.
    event VaultChanged(
        bytes32 indexed ilk,
        address indexed owner,
        int256 collateralDelta,
        int256 debtDelta,
        uint256 collateral,
        uint256 normalizedDebt
    );

    /// @notice The liquidator removed `collateral` (native units, sent to `recipient`) and
    /// `normalizedDebt` from the vault; `debtRad` = normalizedDebt × rate moved to bad debt.
    event Seized(
        bytes32 indexed ilk,
        address indexed owner,
        address indexed recipient,
        uint256 collateral,
        uint256 normalizedDebt,
        uint256 debtRad
    );

    /// @notice `by` burned `amount` gUSD (WAD): `healedRad` of bad debt was cancelled and the rest
    /// (amount × RAY − healedRad) became surplus.
    event Healed(address indexed by, uint256 amount, uint256 healedRad);

    /// @notice `rad` of surplus was cancelled against the same amount of bad debt.
    event HealedWithSurplus(uint256 rad);

    /// @notice `amount` gUSD (WAD) of surplus was minted to the insurance fund `to`.
    event SurplusSent(address indexed to, uint256 amount);

    /// @notice The liquidation side minted `amount` gUSD (WAD) to `to` with no collateral behind it (keeper
    /// incentives), adding `amount × RAY` to bad debt.
    event UnbackedMinted(address indexed to, uint256 amount);

    /// @notice Governance set the insurance fund that receives surplus.
    event InsuranceFundSet(address indexed insuranceFund);

    /// @notice Auction `auctionId` of `house` ended with `amount` of `ilk` unsold, and it went back to the
    /// risk engine `riskEngine` that owns the auction (a portfolio's lot; see `restoreCollateral`).
    event CollateralReturnedToRiskEngine(
        bytes32 indexed ilk, address indexed riskEngine, address indexed house, uint256 auctionId, uint256 amount
    );

    /// @notice `house` was allowed (or no longer allowed) to `restoreCollateral` for `ilk`.
    event AuctionHouseSet(bytes32 indexed ilk, address indexed house, bool allowed);

    /// @notice `ilk` became a debt line margined by `engine` (the PortfolioEngine), for good.
    event RiskEngineSet(bytes32 indexed ilk, address indexed engine);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STRUCTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A collateral type, as returned by `ilks`.
    /// @param token Collateral ERC-20.
    /// @param decimals Token decimals (≤ 18).
    /// @param scale 10 ** (18 − decimals).
    /// @param normalizedDebt Sum of its vaults' normalized debt (WAD).
    /// @param rate Rate accumulator (RAY); debt = normalizedDebt × rate.
    /// @param spot Mark price / liquidation ratio (WAD), written by the spotter.
    /// @param debtCeiling Maximum total debt of the ilk (WAD).
    /// @param dust Minimum debt of a vault that has debt (WAD).
    /// @param liquidationRatio Collateral value / debt below which a vault is unsafe (WAD, ≥ 1).
    /// @param stabilityFeeRay Per-second fee factor (RAY, ≥ RAY).
    /// @param lastDrip Timestamp of the last `drip`.
    struct Ilk {
        address token;
        uint8 decimals;
        uint256 scale;
        uint256 normalizedDebt;
        uint256 rate;
        uint256 spot;
        uint256 debtCeiling;
        uint256 dust;
        uint256 liquidationRatio;
        uint256 stabilityFeeRay;
        uint256 lastDrip;
    }

    /// @notice Everything a liquidation needs about a vault, in one call (see `liquidationView`).
    /// @param collateral Vault collateral, native units.
    /// @param normalizedDebt Vault normalized debt.
    /// @param rate Ilk rate accumulator (RAY).
    /// @param spot Ilk spot (WAD).
    /// @param scale Ilk collateral scale, 10 ** (18 − decimals).
    /// @param dust Ilk dust (WAD).
    /// @param safe The engine's own safety rule, as `isSafe`.
    struct LiquidationView {
        uint256 collateral;
        uint256 normalizedDebt;
        uint256 rate;
        uint256 spot;
        uint256 scale;
        uint256 dust;
        bool safe;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       ROLES & LINKS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Role allowed to call `setSpot` (the Spotter).
    function SPOTTER() external view returns (uint256);

    /// @notice Role allowed to call `seize` on any ilk and `mintUnbacked` (the LiquidationEngine, which
    /// routes each ilk to its configured house). Auction houses do not hold it: see `setAuctionHouse`.
    function LIQUIDATOR() external view returns (uint256);

    /// @notice Role allowed to call `mintUnbacked` besides `LIQUIDATOR` (the auction houses, for redo and
    /// takeover incentives).
    function INCENTIVE_MINTER() external view returns (uint256);

    /// @notice Role allowed to call `preLiquidationClose` (the PreLiquidation contract, which checks the
    /// owner opted in, the vault is in its band, and the health does not fall).
    function PRE_LIQUIDATOR() external view returns (uint256);

    /// @notice Whether `house` may `restoreCollateral` to vaults of `ilk` (set by `setAuctionHouse`).
    /// @param ilk Collateral type.
    /// @param house Auction house (any address).
    /// @return allowed True when governance allowed it for this ilk.
    function isAuctionHouse(bytes32 ilk, address house) external view returns (bool allowed);

    /// @notice The stablecoin (gUSD) the engine mints and burns.
    function stablecoin() external view returns (address);

    /// @notice The insurance fund that receives surplus (zero until set).
    function insuranceFund() external view returns (address);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         GOVERNANCE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Adds a collateral type backed by `token` (decimals read from the token, ≤ 18). Owner only.
    /// @param ilk Collateral type id (non-zero, e.g. "ETH-A"). Several ilks may share a token.
    /// @param token Collateral ERC-20 (standard transfers; fee-on-transfer is rejected at deposit).
    function addIlk(bytes32 ilk, address token) external;

    /// @notice Allows (or disallows) `house` to credit unsold collateral back to vaults of `ilk`
    /// (`restoreCollateral`). Per ilk, so a house can never move another collateral type. Several
    /// houses per ilk are possible (a replacement house while the old one finishes its auctions).
    /// Owner only. Reverts `UnknownIlk`, `ZeroAddress`.
    /// @param ilk Collateral type (must exist).
    /// @param house The ilk's auction house.
    /// @param allowed True to allow, false to revoke.
    function setAuctionHouse(bytes32 ilk, address house, bool allowed) external;

    /// @notice Sets the ilk's debt ceiling (WAD, ≤ type(uint128).max). Owner only.
    /// @param ilk Collateral type.
    /// @param debtCeiling New ceiling; lowering it below current debt blocks new borrowing only.
    function setDebtCeiling(bytes32 ilk, uint256 debtCeiling) external;

    /// @notice Sets the ilk's dust (WAD, ≤ type(uint128).max). Owner only. Existing vaults below the new
    /// dust are unaffected until their debt changes.
    /// @param ilk Collateral type.
    /// @param dust New minimum debt of a vault with debt.
    function setDust(bytes32 ilk, uint256 dust) external;

    /// @notice Sets the ilk's liquidation ratio (WAD, in [`MIN_LIQUIDATION_RATIO`,
    /// `MAX_LIQUIDATION_RATIO`]). Owner only. Takes effect on the spotter's next poke.
    /// @param ilk Collateral type.
    /// @param ratioWad New ratio.
    function setLiquidationRatio(bytes32 ilk, uint256 ratioWad) external;

    /// @notice Sets the ilk's per-second stability fee (RAY, in [RAY, `MAX_STABILITY_FEE_RAY`]), after
    /// accruing fees at the old one. Owner only.
    /// @param ilk Collateral type.
    /// @param stabilityFeeRay New fee factor per second.
    function setStabilityFee(bytes32 ilk, uint256 stabilityFeeRay) external;

    /// @notice Sets the insurance fund that receives surplus. Owner only.
    /// @param insuranceFund_ The fund (non-zero).
    function setInsuranceFund(address insuranceFund_) external;

    /// @notice Writes the ilk's spot (WAD, ≤ type(uint128).max). `SPOTTER` role only.
    /// @param ilk Collateral type.
    /// @param spotWad Mark price / liquidation ratio, rounded down.
    function setSpot(bytes32 ilk, uint256 spotWad) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           VAULTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Allows or disallows `operator` to withdraw and borrow from all of the caller's vaults
    /// (collateral and stablecoin go to the operator). Anyone may always deposit or repay for anyone.
    /// @param operator Account to (dis)allow.
    /// @param allowed Whether it may act.
    function setOperator(address operator, bool allowed) external;

    /// @notice Whether `operator` may act for `owner`'s vaults.
    /// @param owner Vault owner.
    /// @param operator Account.
    /// @return allowed True if allowed.
    function isOperator(address owner, address operator) external view returns (bool allowed);

    /// @notice Deposits `amount` of collateral (native units) from the caller into its vault.
    /// @param ilk Collateral type.
    /// @param amount Amount in the token's native units.
    function deposit(bytes32 ilk, uint256 amount) external;

    /// @notice Withdraws `amount` of collateral (native units) from the caller's vault to the caller.
    /// Reverts if the vault would be unsafe.
    /// @param ilk Collateral type.
    /// @param amount Amount in the token's native units.
    function withdraw(bytes32 ilk, uint256 amount) external;

    /// @notice Mints `amount` gUSD (WAD) to the caller against its vault (normalized debt rounded up).
    /// @param ilk Collateral type.
    /// @param amount Stablecoin to draw, WAD.
    function borrow(bytes32 ilk, uint256 amount) external;

    /// @notice Burns `amount` gUSD (WAD) from the caller to reduce its vault's debt (normalized debt
    /// reduced by amount / rate, rounded down; the remainder is surplus).
    /// @param ilk Collateral type.
    /// @param amount Stablecoin to burn, WAD.
    function repay(bytes32 ilk, uint256 amount) external;

    /// @notice Repays all of the caller's vault debt (burning debt rounded up) and withdraws all its
    /// collateral to the caller.
    /// @param ilk Collateral type.
    function close(bytes32 ilk) external;

    /// @notice Closes `owner`'s vault for it; collateral goes to the caller, the caller pays the debt.
    /// The caller must be the owner or an allowed operator.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    function closeFor(bytes32 ilk, address owner) external;

    /// @notice Changes the caller's vault collateral and debt in one transaction.
    /// @param ilk Collateral type.
    /// @param collateralDelta Collateral in (+, pulled from the caller) or out (−, sent to it), native units.
    /// @param debtDelta Stablecoin minted to (+) or burned from (−) the caller, WAD.
    function adjust(bytes32 ilk, int256 collateralDelta, int256 debtDelta) external;

    /// @notice `adjust` on `owner`'s vault, tokens moving to and from the caller. Anyone may add
    /// collateral or repay (rescue); withdrawing or borrowing needs the owner or an allowed operator.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @param collateralDelta Collateral in (+) or out (−), native units.
    /// @param debtDelta Stablecoin minted (+) or burned (−), WAD.
    function adjustFor(bytes32 ilk, address owner, int256 collateralDelta, int256 debtDelta) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     FEES AND ACCOUNTING                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Accrues the ilk's stability fee since the last drip into its rate; the new debt is
    /// surplus. Permissionless.
    /// @param ilk Collateral type.
    /// @return rate The updated rate accumulator (RAY).
    function drip(bytes32 ilk) external returns (uint256 rate);

    /// @notice Confiscates part or all of a vault for liquidation: removes `collateralAmount` and
    /// `normDebtAmount`, sends the collateral to `recipient` (the auction) and moves the debt to bad
    /// debt pending the auction. `LIQUIDATOR` role only; safety and dust rules are the caller's job.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @param collateralAmount Collateral to take, native units (≤ vault collateral).
    /// @param normDebtAmount Normalized debt to take (≤ vault normalized debt).
    /// @param recipient Receiver of the collateral.
    /// @return debtRad Debt moved to bad debt, RAD (normDebtAmount × rate).
    function seize(bytes32 ilk, address owner, uint256 collateralAmount, uint256 normDebtAmount, address recipient)
        external
        returns (uint256 debtRad);

    /// @notice Repays `debtAmount` of a vault's debt with the caller's gUSD (burned) and sends
    /// `collateralAmount` of its collateral to `recipient`: a pre-liquidation's settlement.
    /// `PRE_LIQUIDATOR` role only; the caller enforces the vault's opt-in and health rules, the engine
    /// its own (dust on the remainder, no more than the vault holds). Normalized debt is reduced
    /// rounding down, as `repay` does. Emits `VaultChanged`.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @param debtAmount gUSD to repay (WAD), burned from the caller.
    /// @param collateralAmount Collateral to send, token native units.
    /// @param recipient Receives the collateral.
    function preLiquidationClose(
        bytes32 ilk,
        address owner,
        uint256 debtAmount,
        uint256 collateralAmount,
        address recipient
    ) external;

    /// @notice Credits `amount` collateral back to a vault: what an auction did not need to sell.
    /// The caller (an auction house of this ilk, see `setAuctionHouse`; else `NotAuctionHouse`)
    /// transfers the tokens to the engine first.
    /// Emits `VaultChanged`, so indexers see the vault grow. Nothing is sent to the owner, so a
    /// token that blocks the owner cannot block the auction. When `owner` is a risk engine (a
    /// `PortfolioEngine`, which owns the auctions of portfolio collateral) the tokens go to it instead and
    /// it is told which auction they came from (`IRiskEngine.onCollateralRestored`), so it credits the
    /// portfolio; emits `CollateralReturnedToRiskEngine` then.
    /// @param ilk Collateral type.
    /// @param owner Vault owner (the auction's owner).
    /// @param amount Collateral, token native units.
    /// @param auctionId The caller's auction that ended with this lot unsold.
    function restoreCollateral(bytes32 ilk, address owner, uint256 amount, uint256 auctionId) external;

    /// @notice Mints `amount` gUSD (WAD) to `to` against new bad debt (`amount × RAY`), for liquidation
    /// and redo incentives (MakerDAO's `suck`). `LIQUIDATOR` or `INCENTIVE_MINTER` role only.
    /// @param to Receiver.
    /// @param amount Stablecoin to mint, WAD.
    function mintUnbacked(address to, uint256 amount) external;

    /// @notice Burns `amount` gUSD (WAD) from the caller: cancels up to `amount × RAY` of bad debt, and
    /// any excess becomes surplus (so auction proceeds arriving after bad debt was covered are kept).
    /// Permissionless.
    /// @param amount Stablecoin to burn, WAD.
    /// @return healedRad Bad debt cancelled, RAD.
    function heal(uint256 amount) external returns (uint256 healedRad);

    /// @notice Cancels min(surplus, bad debt) against each other. Permissionless.
    /// @return rad Amount cancelled, RAD.
    function healWithSurplus() external returns (uint256 rad);

    /// @notice Nets surplus against bad debt, then mints `amount` gUSD (WAD) of the remaining surplus to
    /// the insurance fund. Permissionless; reverts while bad debt remains.
    /// @param amount Stablecoin to mint to the fund, WAD.
    function sendSurplus(uint256 amount) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           VIEWS                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Makes `ilk` a debt line whose risk `engine` judges (a portfolio debt line, docs/portfolio.md):
    /// isolated vault operations on it revert `ExternallyMargined`, and only `engine` moves its debt
    /// (`externalDebt`). Owner only; reverts `IlkInUse` if the ilk already has debt. Once set, the ilk
    /// stays externally margined (the engine may be replaced). Emits `RiskEngineSet`.
    /// @param ilk A known ilk with no debt.
    /// @param engine The risk engine.
    function setRiskEngine(bytes32 ilk, address engine) external;

    /// @notice Moves `owner`'s debt on an externally margined ilk by `debtDelta` stablecoin (WAD): a
    /// positive delta mints to `counterparty`, a negative one burns from it. Ceiling, dust and rounding as
    /// for isolated vaults; the caller (the ilk's risk engine, else `NotRiskEngine`) has checked the risk.
    /// Emits `VaultChanged(ilk, owner, 0, debtDelta, 0, normalizedDebt)`.
    /// @param ilk An externally margined ilk.
    /// @param owner The portfolio owner.
    /// @param debtDelta Stablecoin to borrow (> 0) or repay (< 0), WAD.
    /// @param counterparty Receives the minted or pays the burned stablecoin.
    /// @return normalizedDebt The owner's normalized debt after the change.
    function externalDebt(bytes32 ilk, address owner, int256 debtDelta, address counterparty)
        external
        returns (uint256 normalizedDebt);

    /// @notice The risk engine of an externally margined ilk, or zero.
    /// @param ilk The ilk.
    function riskEngine(bytes32 ilk) external view returns (address engine);

    /// @notice The ilk's liquidation ratio (WAD), read by the spotter.
    /// @param ilk Collateral type.
    /// @return ratioWad Liquidation ratio.
    function liquidationRatio(bytes32 ilk) external view returns (uint256 ratioWad);

    /// @notice A collateral type's parameters and state (named `ilks` as in MakerDAO's `vat.ilks`).
    /// @param ilk Collateral type.
    /// @return info The ilk (all zero if unknown).
    function ilks(bytes32 ilk) external view returns (Ilk memory info);

    /// @notice Every ilk id, in order of addition.
    /// @return ids Ilk ids.
    function ilkList() external view returns (bytes32[] memory ids);

    /// @notice A vault's state.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @return collateral Collateral, native units.
    /// @return normalizedDebt Normalized debt (debt = normalizedDebt × rate).
    function vault(bytes32 ilk, address owner) external view returns (uint256 collateral, uint256 normalizedDebt);

    /// @notice A vault's debt at the current rate (WAD, rounded up): what `close` burns.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @return debt Debt, WAD.
    function debtOf(bytes32 ilk, address owner) external view returns (uint256 debt);

    /// @notice Whether the vault is safe: collateral × scale × spot / 1e18 (rounded down) ≥ debt
    /// (rounded up). A vault without debt is always safe.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @return safe True if safe.
    function isSafe(bytes32 ilk, address owner) external view returns (bool safe);

    /// @notice Collateral value at spot over debt (WAD, rounded down); ≥ 1e18 iff safe;
    /// type(uint256).max without debt.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @return healthWad Health factor.
    function health(bytes32 ilk, address owner) external view returns (uint256 healthWad);

    /// @notice Mark price (WAD per whole token) below which the vault is unsafe:
    /// debt × liquidationRatio / (collateral × scale), rounded up. 0 without debt;
    /// type(uint256).max with debt and no collateral.
    /// @param ilk Collateral type.
    /// @param owner Vault owner.
    /// @return priceWad Liquidation price.
    function liquidationPrice(bytes32 ilk, address owner) external view returns (uint256 priceWad);

    /// @notice A vault and the ilk fields a liquidation needs, with the engine's safety verdict.
    /// @param ilk Collateral type (reverts if unknown).
    /// @param owner Vault owner.
    /// @return v The view.
    function liquidationView(bytes32 ilk, address owner) external view returns (LiquidationView memory v);

    /// @notice Total debt of all vaults: Σ over ilks of normalizedDebt × rate (RAD).
    /// @return rad Total debt.
    function totalDebtRad() external view returns (uint256 rad);

    /// @notice System bad debt (RAD): seized debt not yet covered by auction proceeds, surplus or the fund.
    /// @return rad Bad debt.
    function badDebtRad() external view returns (uint256 rad);

    /// @notice System surplus (RAD): accrued fees and rounding, not yet sent to the fund.
    /// @return rad Surplus.
    function surplusRad() external view returns (uint256 rad);
}
