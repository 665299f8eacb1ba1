// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Stablecoin} from "./Stablecoin.sol";
import {IStablecoin} from "./interfaces/IStablecoin.sol";
import {IRiskEngine} from "./interfaces/IRiskEngine.sol";
import {IVaultEngine} from "./interfaces/IVaultEngine.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {ReentrancyGuardTransient} from "solady/utils/ReentrancyGuardTransient.sol";
import {SafeTransferLib} from "solady/utils/SafeTransferLib.sol";

/// @title VaultEngine
/// @notice Gavel's ledger: collateral types, vaults, stablecoin debt, surplus and bad debt. The
/// accounting identity and the event contract an indexer relies on are in `VaultEngine.events.md`.
/// @dev Storage is packed so that a vault is one slot (collateral | normalized debt) and the ilk fields a
/// vault change reads sit in few slots. System totals are RAD (WAD × RAY) so the identity
/// `stablecoin.totalSupply × RAY + surplusRad == Σ normalizedDebt × rate + badDebtRad` holds exactly.
contract VaultEngine is IVaultEngine, OwnableRoles, ReentrancyGuardTransient {
    using FixedPointMathLib for uint256;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice 1.0 in 18-decimal fixed point.
    uint256 public constant WAD = 1e18;

    /// @notice 1.0 in 27-decimal fixed point.
    uint256 public constant RAY = 1e27;

    /// @notice Maximum number of ilks (bounds the `totalDebtRad` loop).
    uint256 public constant MAX_ILKS = 64;

    /// @notice Lowest liquidation ratio governance may set: 100%.
    uint256 public constant MIN_LIQUIDATION_RATIO = 1e18;

    /// @notice Highest liquidation ratio governance may set: 1000%.
    uint256 public constant MAX_LIQUIDATION_RATIO = 10e18;

    /// @notice Highest per-second stability fee governance may set: about 100% per year.
    uint256 public constant MAX_STABILITY_FEE_RAY = 1_000_000_021_979_553_151_239_153_027;

    /// @inheritdoc IVaultEngine
    uint256 public constant SPOTTER = _ROLE_0;

    /// @inheritdoc IVaultEngine
    uint256 public constant LIQUIDATOR = _ROLE_1;

    /// @inheritdoc IVaultEngine
    uint256 public constant INCENTIVE_MINTER = _ROLE_2;

    /// @inheritdoc IVaultEngine
    uint256 public constant PRE_LIQUIDATOR = _ROLE_3;

    /// @dev Largest value a packed field holds.
    uint256 private constant _MAX_U128 = type(uint128).max;

    /// @inheritdoc IVaultEngine
    address public immutable stablecoin;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev A collateral type, five slots grouped by who reads them.
    struct IlkState {
        // slot 0: every debt change
        uint128 normalizedDebt; // Σ vault normalized debt (WAD)
        uint128 rate; // RAY
        // slot 1: every risk-increasing change
        uint128 spot; // WAD
        uint128 debtCeiling; // WAD
        // slot 2
        uint128 dust; // WAD
        uint128 liquidationRatio; // WAD
        // slot 3: every change
        address token;
        uint64 scale; // 10 ** (18 - decimals) ≤ 1e18
        uint8 decimals;
        bool externallyMargined; // a portfolio debt line: see setRiskEngine
        // slot 4: drip only
        uint128 stabilityFeeRay;
        uint64 lastDrip;
    }

    /// @dev A vault: one slot. `collateral × scale ≤ type(uint128).max` is enforced, so
    /// `collateral × scale × spot` never overflows.
    struct Vault {
        uint128 collateral; // native units
        uint128 normalizedDebt; // WAD
    }

    /// @dev Ilk id => state.
    mapping(bytes32 => IlkState) internal _ilks;

    /// @dev Ilk id => owner => vault.
    mapping(bytes32 => mapping(address => Vault)) internal _vaults;

    /// @dev Owner => operator => allowed.
    mapping(address => mapping(address => bool)) internal _operators;

    /// @dev Ilk ids in order of addition.
    bytes32[] internal _ilkList;

    /// @dev Surplus (RAD).
    uint256 internal _surplusRad;

    /// @dev Bad debt (RAD).
    uint256 internal _badDebtRad;

    /// @inheritdoc IVaultEngine
    address public insuranceFund;

    /// @dev Ilk id => auction house => may `restoreCollateral` for that ilk.
    mapping(bytes32 => mapping(address => bool)) internal _auctionHouses;

    /// @dev Ilk id => risk engine of an externally margined ilk.
    mapping(bytes32 => address) internal _riskEngines;

    /// @dev Address => ever named a risk engine: auctions it owns return their unsold lot to it. Never
    /// cleared, so a replaced engine still receives the leftovers of the auctions it started.
    mapping(address => bool) internal _isRiskEngine;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param owner_ Governance (a timelock in production). Deploys the stablecoin with this engine as
    /// its only minter.
    constructor(address owner_) {
        if (owner_ == address(0)) revert ZeroAddress();
        _initializeOwner(owner_);
        stablecoin = address(new Stablecoin(address(this)));
    }

    // Narrowing casts below are safe by construction: every value stored in a 128-bit field is checked
    // against `_MAX_U128` first or bounded by a ledger invariant (noted at the site: the ceiling bounds an
    // ilk's normalized debt, `collateral × scale ≤ 2^128 − 1` bounds collateral, vault fields bound
    // what is subtracted from them); `_toInt` checks before its cast; `_abs` is exact.
    // forge-lint: disable-start(unsafe-typecast)

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         GOVERNANCE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IVaultEngine
    function addIlk(bytes32 ilk, address token) external onlyOwner {
        if (ilk == bytes32(0)) revert ZeroIlk();
        if (token == address(0)) revert ZeroAddress();
        IlkState storage i = _ilks[ilk];
        if (i.token != address(0)) revert IlkAlreadyExists(ilk);
        if (_ilkList.length >= MAX_ILKS) revert TooManyIlks();
        uint256 decimals = _readDecimals(token);
        if (decimals > 18) revert UnsupportedDecimals(token, decimals);
        uint256 scale = 10 ** (18 - decimals);

        i.rate = uint128(RAY);
        i.liquidationRatio = uint128(WAD);
        i.token = token;
        i.scale = uint64(scale);
        i.decimals = uint8(decimals);
        i.stabilityFeeRay = uint128(RAY);
        i.lastDrip = uint64(block.timestamp);
        _ilkList.push(ilk);
        emit IlkAdded(ilk, token, uint8(decimals), scale);
    }

    /// @inheritdoc IVaultEngine
    function setDebtCeiling(bytes32 ilk, uint256 debtCeiling) external onlyOwner {
        IlkState storage i = _knownIlk(ilk);
        if (debtCeiling > _MAX_U128) revert ParameterOutOfBounds(debtCeiling, 0, _MAX_U128);
        i.debtCeiling = uint128(debtCeiling);
        emit DebtCeilingSet(ilk, debtCeiling);
    }

    /// @inheritdoc IVaultEngine
    function setDust(bytes32 ilk, uint256 dust) external onlyOwner {
        IlkState storage i = _knownIlk(ilk);
        if (dust > _MAX_U128) revert ParameterOutOfBounds(dust, 0, _MAX_U128);
        i.dust = uint128(dust);
        emit DustSet(ilk, dust);
    }

    /// @inheritdoc IVaultEngine
    function setLiquidationRatio(bytes32 ilk, uint256 ratioWad) external onlyOwner {
        IlkState storage i = _knownIlk(ilk);
        if (ratioWad < MIN_LIQUIDATION_RATIO || ratioWad > MAX_LIQUIDATION_RATIO) {
            revert ParameterOutOfBounds(ratioWad, MIN_LIQUIDATION_RATIO, MAX_LIQUIDATION_RATIO);
        }
        i.liquidationRatio = uint128(ratioWad);
        emit LiquidationRatioSet(ilk, ratioWad);
    }

    /// @inheritdoc IVaultEngine
    function setStabilityFee(bytes32 ilk, uint256 stabilityFeeRay) external onlyOwner {
        IlkState storage i = _knownIlk(ilk);
        if (stabilityFeeRay < RAY || stabilityFeeRay > MAX_STABILITY_FEE_RAY) {
            revert ParameterOutOfBounds(stabilityFeeRay, RAY, MAX_STABILITY_FEE_RAY);
        }
        _drip(ilk, i);
        i.stabilityFeeRay = uint128(stabilityFeeRay);
        emit StabilityFeeSet(ilk, stabilityFeeRay);
    }

    /// @inheritdoc IVaultEngine
    function setInsuranceFund(address insuranceFund_) external onlyOwner {
        if (insuranceFund_ == address(0)) revert ZeroAddress();
        insuranceFund = insuranceFund_;
        emit InsuranceFundSet(insuranceFund_);
    }

    /// @inheritdoc IVaultEngine
    function setAuctionHouse(bytes32 ilk, address house, bool allowed) external onlyOwner {
        _knownIlk(ilk);
        if (house == address(0)) revert ZeroAddress();
        _auctionHouses[ilk][house] = allowed;
        emit AuctionHouseSet(ilk, house, allowed);
    }

    /// @inheritdoc IVaultEngine
    function setRiskEngine(bytes32 ilk, address engine) external onlyOwner {
        IlkState storage i = _knownIlk(ilk);
        if (engine == address(0)) revert ZeroAddress();
        if (!i.externallyMargined && i.normalizedDebt != 0) revert IlkInUse(ilk, i.normalizedDebt);
        i.externallyMargined = true;
        _riskEngines[ilk] = engine;
        _isRiskEngine[engine] = true;
        emit RiskEngineSet(ilk, engine);
    }

    /// @inheritdoc IVaultEngine
    function setSpot(bytes32 ilk, uint256 spotWad) external onlyRoles(SPOTTER) {
        IlkState storage i = _knownIlk(ilk);
        if (spotWad > _MAX_U128) revert ParameterOutOfBounds(spotWad, 0, _MAX_U128);
        i.spot = uint128(spotWad);
        emit SpotUpdated(ilk, spotWad);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           VAULTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IVaultEngine
    function setOperator(address operator, bool allowed) external {
        if (operator == address(0)) revert ZeroAddress();
        _operators[msg.sender][operator] = allowed;
        emit OperatorSet(msg.sender, operator, allowed);
    }

    /// @inheritdoc IVaultEngine
    function deposit(bytes32 ilk, uint256 amount) external nonReentrant {
        _adjust(ilk, msg.sender, _toInt(amount), 0);
    }

    /// @inheritdoc IVaultEngine
    function withdraw(bytes32 ilk, uint256 amount) external nonReentrant {
        _adjust(ilk, msg.sender, -_toInt(amount), 0);
    }

    /// @inheritdoc IVaultEngine
    function borrow(bytes32 ilk, uint256 amount) external nonReentrant {
        _adjust(ilk, msg.sender, 0, _toInt(amount));
    }

    /// @inheritdoc IVaultEngine
    function repay(bytes32 ilk, uint256 amount) external nonReentrant {
        _adjust(ilk, msg.sender, 0, -_toInt(amount));
    }

    /// @inheritdoc IVaultEngine
    function close(bytes32 ilk) external nonReentrant {
        _close(ilk, msg.sender);
    }

    /// @inheritdoc IVaultEngine
    function closeFor(bytes32 ilk, address owner) external nonReentrant {
        _close(ilk, owner);
    }

    /// @inheritdoc IVaultEngine
    function adjust(bytes32 ilk, int256 collateralDelta, int256 debtDelta) external nonReentrant {
        _adjust(ilk, msg.sender, collateralDelta, debtDelta);
    }

    /// @inheritdoc IVaultEngine
    function adjustFor(bytes32 ilk, address owner, int256 collateralDelta, int256 debtDelta) external nonReentrant {
        _adjust(ilk, owner, collateralDelta, debtDelta);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     FEES AND ACCOUNTING                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IVaultEngine
    function drip(bytes32 ilk) external returns (uint256 rate) {
        rate = _drip(ilk, _knownIlk(ilk));
    }

    /// @inheritdoc IVaultEngine
    function seize(bytes32 ilk, address owner, uint256 collateralAmount, uint256 normDebtAmount, address recipient)
        external
        nonReentrant
        onlyRoles(LIQUIDATOR)
        returns (uint256 debtRad)
    {
        IlkState storage i = _knownIlk(ilk);
        if (collateralAmount == 0 && normDebtAmount == 0) revert ZeroAmount();
        Vault storage v = _vaults[ilk][owner];
        uint256 collateral = v.collateral;
        uint256 art = v.normalizedDebt;
        if (collateralAmount > collateral) revert InsufficientCollateral(collateralAmount, collateral);
        if (normDebtAmount > art) revert SeizeExceedsDebt(normDebtAmount, art);
        unchecked {
            // Both bounded by the vault's fields just above.
            _vaults[ilk][owner] = Vault(uint128(collateral - collateralAmount), uint128(art - normDebtAmount));
        }
        if (normDebtAmount != 0) {
            uint256 ilkArt = i.normalizedDebt;
            debtRad = normDebtAmount * i.rate;
            unchecked {
                // Σ vault normalized debt == ilk normalized debt ≥ this vault's.
                i.normalizedDebt = uint128(ilkArt - normDebtAmount);
            }
            _badDebtRad += debtRad;
        }
        if (collateralAmount != 0) {
            if (recipient == address(0)) revert ZeroAddress();
            _pushCollateral(i.token, recipient, collateralAmount);
        }
        emit Seized(ilk, owner, recipient, collateralAmount, normDebtAmount, debtRad);
    }

    /// @inheritdoc IVaultEngine
    function preLiquidationClose(
        bytes32 ilk,
        address owner,
        uint256 debtAmount,
        uint256 collateralAmount,
        address recipient
    ) external nonReentrant onlyRoles(PRE_LIQUIDATOR) {
        if (debtAmount == 0) revert ZeroAmount();
        if (recipient == address(0)) revert ZeroAddress();
        IlkState storage i = _knownIlk(ilk);
        Vault storage v = _vaults[ilk][owner];
        int256 collateralDelta = -_toInt(collateralAmount);
        int256 debtDelta = -_toInt(debtAmount);
        uint256 collateral = _applyCollateral(v.collateral, collateralDelta, i.scale);
        uint256 art = _applyDebt(i, ilk, owner, v.normalizedDebt, debtDelta);
        _vaults[ilk][owner] = Vault(uint128(collateral), uint128(art));
        if (collateralAmount != 0) _pushCollateral(i.token, recipient, collateralAmount);
        IStablecoin(stablecoin).burn(msg.sender, debtAmount);
        emit VaultChanged(ilk, owner, collateralDelta, debtDelta, collateral, art);
    }

    /// @inheritdoc IVaultEngine
    function externalDebt(bytes32 ilk, address owner, int256 debtDelta, address counterparty)
        external
        nonReentrant
        returns (uint256 normalizedDebt)
    {
        if (_riskEngines[ilk] != msg.sender) revert NotRiskEngine(ilk, msg.sender);
        if (debtDelta == 0) revert ZeroAmount();
        if (counterparty == address(0)) revert ZeroAddress();
        IlkState storage i = _ilks[ilk];
        Vault storage v = _vaults[ilk][owner];
        normalizedDebt = _applyDebt(i, ilk, owner, v.normalizedDebt, debtDelta);
        v.normalizedDebt = uint128(normalizedDebt);
        if (debtDelta > 0) IStablecoin(stablecoin).mint(counterparty, uint256(debtDelta));
        else IStablecoin(stablecoin).burn(counterparty, _abs(debtDelta));
        emit VaultChanged(ilk, owner, 0, debtDelta, 0, normalizedDebt);
    }

    /// @inheritdoc IVaultEngine
    function restoreCollateral(bytes32 ilk, address owner, uint256 amount, uint256 auctionId) external {
        // Per ilk: a house of another collateral type (or anyone holding a global role) cannot credit
        // this ilk's collateral, which the caller would then withdraw as real tokens.
        if (!_auctionHouses[ilk][msg.sender]) revert NotAuctionHouse(ilk, msg.sender);
        IlkState storage i = _knownIlk(ilk);
        if (amount == 0) revert ZeroAmount();
        if (_isRiskEngine[owner]) {
            // A portfolio's lot: the risk engine custodies it and credits the portfolio it came from.
            _pushCollateral(i.token, owner, amount);
            IRiskEngine(owner).onCollateralRestored(ilk, msg.sender, auctionId, amount);
            emit CollateralReturnedToRiskEngine(ilk, owner, msg.sender, auctionId, amount);
            return;
        }
        Vault storage v = _vaults[ilk][owner];
        uint256 collateral = v.collateral + amount;
        if (collateral * i.scale > _MAX_U128) revert CollateralOverflow(collateral);
        // forge-lint: disable-next-line(unsafe-typecast) collateral × scale ≤ 2^128 just above
        v.collateral = uint128(collateral);
        emit VaultChanged(ilk, owner, _toInt(amount), 0, collateral, v.normalizedDebt);
    }

    /// @inheritdoc IVaultEngine
    function mintUnbacked(address to, uint256 amount) external onlyRoles(LIQUIDATOR | INCENTIVE_MINTER) {
        if (amount == 0) revert ZeroAmount();
        if (amount > _MAX_U128) revert AmountOverflow(amount);
        if (to == address(0)) revert ZeroAddress();
        _badDebtRad += amount * RAY;
        IStablecoin(stablecoin).mint(to, amount);
        emit UnbackedMinted(to, amount);
    }

    /// @inheritdoc IVaultEngine
    function heal(uint256 amount) external nonReentrant returns (uint256 healedRad) {
        if (amount == 0) revert ZeroAmount();
        if (amount > _MAX_U128) revert AmountOverflow(amount);
        uint256 rad = amount * RAY;
        uint256 bad = _badDebtRad;
        healedRad = FixedPointMathLib.min(rad, bad);
        if (healedRad != 0) _badDebtRad = bad - healedRad;
        if (rad != healedRad) _surplusRad += rad - healedRad;
        IStablecoin(stablecoin).burn(msg.sender, amount);
        emit Healed(msg.sender, amount, healedRad);
    }

    /// @inheritdoc IVaultEngine
    function healWithSurplus() external returns (uint256 rad) {
        rad = _healWithSurplus();
    }

    /// @inheritdoc IVaultEngine
    function sendSurplus(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (amount > _MAX_U128) revert AmountOverflow(amount);
        address fund = insuranceFund;
        if (fund == address(0)) revert InsuranceFundNotSet();
        _healWithSurplus();
        uint256 bad = _badDebtRad;
        if (bad != 0) revert BadDebtOutstanding(bad);
        uint256 rad = amount * RAY;
        uint256 surplus = _surplusRad;
        if (rad > surplus) revert InsufficientSurplus(rad, surplus);
        _surplusRad = surplus - rad;
        IStablecoin(stablecoin).mint(fund, amount);
        emit SurplusSent(fund, amount);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           VIEWS                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IVaultEngine
    function liquidationRatio(bytes32 ilk) external view returns (uint256 ratioWad) {
        ratioWad = _knownIlk(ilk).liquidationRatio;
    }

    /// @inheritdoc IVaultEngine
    function ilks(bytes32 ilk) external view returns (Ilk memory info) {
        IlkState storage i = _ilks[ilk];
        info = Ilk({
            token: i.token,
            decimals: i.decimals,
            scale: i.scale,
            normalizedDebt: i.normalizedDebt,
            rate: i.rate,
            spot: i.spot,
            debtCeiling: i.debtCeiling,
            dust: i.dust,
            liquidationRatio: i.liquidationRatio,
            stabilityFeeRay: i.stabilityFeeRay,
            lastDrip: i.lastDrip
        });
    }

    /// @inheritdoc IVaultEngine
    function riskEngine(bytes32 ilk) external view returns (address engine) {
        engine = _riskEngines[ilk];
    }

    /// @inheritdoc IVaultEngine
    function ilkList() external view returns (bytes32[] memory ids) {
        ids = _ilkList;
    }

    /// @inheritdoc IVaultEngine
    function isAuctionHouse(bytes32 ilk, address house) external view returns (bool allowed) {
        allowed = _auctionHouses[ilk][house];
    }

    /// @inheritdoc IVaultEngine
    function isOperator(address owner, address operator) external view returns (bool allowed) {
        allowed = _operators[owner][operator];
    }

    /// @inheritdoc IVaultEngine
    function vault(bytes32 ilk, address owner) external view returns (uint256 collateral, uint256 normalizedDebt) {
        Vault storage v = _vaults[ilk][owner];
        (collateral, normalizedDebt) = (v.collateral, v.normalizedDebt);
    }

    /// @inheritdoc IVaultEngine
    function debtOf(bytes32 ilk, address owner) external view returns (uint256 debt) {
        debt = _debtWadUp(_vaults[ilk][owner].normalizedDebt, _ilks[ilk].rate);
    }

    /// @inheritdoc IVaultEngine
    function isSafe(bytes32 ilk, address owner) external view returns (bool safe) {
        (uint256 value, uint256 debt) = _valueAndDebt(ilk, owner);
        safe = value >= debt;
    }

    /// @inheritdoc IVaultEngine
    function health(bytes32 ilk, address owner) external view returns (uint256 healthWad) {
        (uint256 value, uint256 debt) = _valueAndDebt(ilk, owner);
        healthWad = debt == 0 ? type(uint256).max : FixedPointMathLib.fullMulDiv(value, WAD, debt);
    }

    /// @inheritdoc IVaultEngine
    function liquidationPrice(bytes32 ilk, address owner) external view returns (uint256 priceWad) {
        IlkState storage i = _isolatedIlk(ilk);
        Vault storage v = _vaults[ilk][owner];
        uint256 debt = _debtWadUp(v.normalizedDebt, i.rate);
        if (debt == 0) return 0;
        uint256 collateralWad = uint256(v.collateral) * i.scale;
        if (collateralWad == 0) return type(uint256).max;
        priceWad = FixedPointMathLib.fullMulDivUp(debt, i.liquidationRatio, collateralWad);
    }

    /// @inheritdoc IVaultEngine
    function liquidationView(bytes32 ilk, address owner) external view returns (LiquidationView memory v) {
        IlkState storage i = _isolatedIlk(ilk);
        Vault storage vs = _vaults[ilk][owner];
        v.collateral = vs.collateral;
        v.normalizedDebt = vs.normalizedDebt;
        v.rate = i.rate;
        v.spot = i.spot;
        v.scale = i.scale;
        v.dust = i.dust;
        v.safe = v.collateral * v.scale * v.spot / WAD >= _debtWadUp(v.normalizedDebt, v.rate);
    }

    /// @inheritdoc IVaultEngine
    function totalDebtRad() external view returns (uint256 rad) {
        uint256 n = _ilkList.length;
        for (uint256 k; k < n; ++k) {
            IlkState storage i = _ilks[_ilkList[k]];
            rad += uint256(i.normalizedDebt) * i.rate;
        }
    }

    /// @inheritdoc IVaultEngine
    function badDebtRad() external view returns (uint256 rad) {
        rad = _badDebtRad;
    }

    /// @inheritdoc IVaultEngine
    function surplusRad() external view returns (uint256 rad) {
        rad = _surplusRad;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      INTERNAL: VAULTS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The one path for every vault change. Checks, effects, then token moves, then the event.
    function _adjust(bytes32 ilk, address owner, int256 collateralDelta, int256 debtDelta) internal {
        if (collateralDelta == 0 && debtDelta == 0) revert ZeroAmount();
        IlkState storage i = _ilks[ilk];
        address token = i.token;
        if (token == address(0)) revert UnknownIlk(ilk);
        if (i.externallyMargined) revert ExternallyMargined(ilk);
        // Adding collateral or repaying is allowed for anyone (rescue); anything riskier needs consent.
        bool riskier = collateralDelta < 0 || debtDelta > 0;
        if (riskier && owner != msg.sender && !_operators[owner][msg.sender]) revert NotAllowed(owner, msg.sender);

        Vault storage v = _vaults[ilk][owner];
        uint256 collateral = _applyCollateral(v.collateral, collateralDelta, i.scale);
        uint256 art = v.normalizedDebt;
        if (debtDelta != 0) art = _applyDebt(i, ilk, owner, art, debtDelta);
        if (riskier && art != 0) _requireSafe(i, ilk, owner, collateral, art);
        _vaults[ilk][owner] = Vault(uint128(collateral), uint128(art));

        if (collateralDelta > 0) _pullCollateral(token, uint256(collateralDelta));
        else if (collateralDelta < 0) _pushCollateral(token, msg.sender, _abs(collateralDelta));
        if (debtDelta > 0) IStablecoin(stablecoin).mint(msg.sender, uint256(debtDelta));
        else if (debtDelta < 0) IStablecoin(stablecoin).burn(msg.sender, _abs(debtDelta));
        emit VaultChanged(ilk, owner, collateralDelta, debtDelta, collateral, art);
    }

    /// @dev New collateral after `delta`; bounds-checked so `collateral × scale` fits 128 bits.
    function _applyCollateral(uint256 collateral, int256 delta, uint256 scale) internal pure returns (uint256) {
        if (delta == 0) return collateral;
        uint256 amount = _abs(delta);
        if (amount > _MAX_U128) revert AmountOverflow(amount);
        if (delta > 0) {
            collateral += amount;
            if (collateral * scale > _MAX_U128) revert CollateralOverflow(collateral);
            return collateral;
        }
        if (amount > collateral) revert InsufficientCollateral(amount, collateral);
        unchecked {
            return collateral - amount;
        }
    }

    /// @dev Applies a debt change of `delta` stablecoin (WAD) to a vault with normalized debt `art`:
    /// checks the ceiling (when borrowing) and dust, updates the ilk total and the rounding surplus,
    /// and returns the vault's new normalized debt.
    function _applyDebt(IlkState storage i, bytes32 ilk, address owner, uint256 art, int256 delta)
        internal
        returns (uint256)
    {
        uint256 amount = _abs(delta);
        if (amount > _MAX_U128) revert AmountOverflow(amount);
        uint256 amountRad = amount * RAY;
        uint256 rate = i.rate;
        uint256 ilkArt = i.normalizedDebt;
        uint256 roundingRad;
        if (delta > 0) {
            // Borrow: normalized debt rounds up; the excess over what was minted is surplus.
            uint256 dart = amountRad.divUp(rate);
            roundingRad = dart * rate - amountRad;
            art += dart;
            ilkArt += dart;
            uint256 ceiling = i.debtCeiling;
            if (ilkArt * rate > ceiling * RAY) revert CeilingExceeded(ilk, (ilkArt * rate).divUp(RAY), ceiling);
        } else {
            // Repay: normalized debt reduction rounds down; the burned excess is surplus.
            uint256 dart = amountRad / rate;
            if (dart > art) revert RepayExceedsDebt(amount, dart, art);
            roundingRad = amountRad - dart * rate;
            unchecked {
                art -= dart;
                ilkArt -= dart;
            }
        }
        if (art != 0) {
            uint256 dust = i.dust;
            if (art * rate < dust * RAY) revert DebtBelowDust(ilk, owner, (art * rate).divUp(RAY), dust);
        }
        // ilkArt ≤ type(uint128).max: the ceiling check bounds it when it grows (rate ≥ RAY).
        i.normalizedDebt = uint128(ilkArt);
        if (roundingRad != 0) _surplusRad += roundingRad;
        return art;
    }

    /// @dev Reverts unless collateral value at spot (rounded down) covers debt (rounded up).
    function _requireSafe(IlkState storage i, bytes32 ilk, address owner, uint256 collateral, uint256 art)
        internal
        view
    {
        // collateral × scale ≤ 2^128 − 1 and spot ≤ 2^128 − 1: the product fits 256 bits.
        uint256 value = collateral * i.scale * i.spot / WAD;
        uint256 debt = _debtWadUp(art, i.rate);
        if (value < debt) revert UnsafeVault(ilk, owner, value, debt);
    }

    /// @dev Repays all debt and withdraws all collateral of `owner`'s vault, tokens to/from the caller.
    function _close(bytes32 ilk, address owner) internal {
        IlkState storage i = _knownIlk(ilk);
        if (i.externallyMargined) revert ExternallyMargined(ilk);
        if (owner != msg.sender && !_operators[owner][msg.sender]) revert NotAllowed(owner, msg.sender);
        Vault storage v = _vaults[ilk][owner];
        uint256 collateral = v.collateral;
        uint256 art = v.normalizedDebt;
        if (collateral == 0 && art == 0) revert ZeroAmount();
        delete _vaults[ilk][owner];
        uint256 amount;
        if (art != 0) {
            uint256 debtRad = art * i.rate;
            amount = debtRad.divUp(RAY);
            unchecked {
                i.normalizedDebt -= uint128(art);
            }
            uint256 roundingRad = amount * RAY - debtRad;
            if (roundingRad != 0) _surplusRad += roundingRad;
        }
        if (collateral != 0) _pushCollateral(i.token, msg.sender, collateral);
        if (amount != 0) IStablecoin(stablecoin).burn(msg.sender, amount);
        emit VaultChanged(ilk, owner, -int256(collateral), -int256(amount), 0, 0);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                    INTERNAL: ACCOUNTING                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Accrues the stability fee of a known ilk into its rate; the new debt is surplus.
    function _drip(bytes32 ilk, IlkState storage i) internal returns (uint256 rate) {
        rate = i.rate;
        uint256 last = i.lastDrip;
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp == last) return rate;
        uint256 fee = i.stabilityFeeRay;
        i.lastDrip = uint64(block.timestamp);
        uint256 addedRad;
        if (fee != RAY) {
            uint256 newRate = FixedPointMathLib.rpow(fee, block.timestamp - last, RAY).mulDiv(rate, RAY);
            if (newRate > _MAX_U128) revert RateOverflow(newRate);
            addedRad = uint256(i.normalizedDebt) * (newRate - rate);
            i.rate = uint128(newRate);
            rate = newRate;
            if (addedRad != 0) _surplusRad += addedRad;
        }
        emit Dripped(ilk, rate, addedRad);
    }

    /// @dev Cancels min(surplus, bad debt).
    function _healWithSurplus() internal returns (uint256 rad) {
        uint256 bad = _badDebtRad;
        if (bad == 0) return 0;
        uint256 surplus = _surplusRad;
        rad = FixedPointMathLib.min(surplus, bad);
        if (rad == 0) return 0;
        unchecked {
            _badDebtRad = bad - rad;
            _surplusRad = surplus - rad;
        }
        emit HealedWithSurplus(rad);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      INTERNAL: HELPERS                     */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The ilk, or a revert if it was never added.
    function _knownIlk(bytes32 ilk) internal view returns (IlkState storage i) {
        i = _ilks[ilk];
        if (i.token == address(0)) revert UnknownIlk(ilk);
    }

    /// @dev A known ilk margined by the isolated rule, or a revert (`UnknownIlk`, `ExternallyMargined`).
    function _isolatedIlk(bytes32 ilk) internal view returns (IlkState storage i) {
        i = _knownIlk(ilk);
        if (i.externallyMargined) revert ExternallyMargined(ilk);
    }

    /// @dev (collateral value at spot rounded down, debt rounded up), both WAD.
    function _valueAndDebt(bytes32 ilk, address owner) internal view returns (uint256 value, uint256 debt) {
        IlkState storage i = _isolatedIlk(ilk);
        Vault storage v = _vaults[ilk][owner];
        value = uint256(v.collateral) * i.scale * i.spot / WAD;
        debt = _debtWadUp(v.normalizedDebt, i.rate);
    }

    /// @dev normalizedDebt × rate in WAD, rounded up.
    function _debtWadUp(uint256 art, uint256 rate) internal pure returns (uint256) {
        return (art * rate).divUp(RAY);
    }

    /// @dev Pulls `amount` of `token` from the caller; reverts on a false return or a short credit.
    function _pullCollateral(address token, uint256 amount) internal {
        uint256 before = SafeTransferLib.balanceOf(token, address(this));
        if (!SafeTransferLib.trySafeTransferFrom(token, msg.sender, address(this), amount)) {
            revert CollateralTransferFailed(token, msg.sender, address(this), amount);
        }
        uint256 received = SafeTransferLib.balanceOf(token, address(this)).zeroFloorSub(before);
        if (received != amount) revert FeeOnTransfer(token, amount, received);
    }

    /// @dev Sends `amount` of `token` to `to`; reverts on a false return.
    /// Same success rule as solady's `safeTransfer` (true, or no return data from a contract), but
    /// with a named error carrying the arguments.
    function _pushCollateral(address token, address to, uint256 amount) internal {
        bool success;
        /// @solidity memory-safe-assembly
        assembly {
            mstore(0x14, to)
            mstore(0x34, amount)
            mstore(0x00, 0xa9059cbb000000000000000000000000) // `transfer(address,uint256)`.
            success := call(gas(), token, 0, 0x10, 0x44, 0x00, 0x20)
            if iszero(and(eq(mload(0x00), 1), success)) {
                success := lt(or(iszero(extcodesize(token)), returndatasize()), success)
            }
            mstore(0x34, 0) // Restore the part of the free memory pointer that was overwritten.
        }
        if (!success) revert CollateralTransferFailed(token, address(this), to, amount);
    }

    /// @dev `amount` as a positive int256, bounds-checked to 128 bits.
    function _toInt(uint256 amount) internal pure returns (int256) {
        if (amount > _MAX_U128) revert AmountOverflow(amount);
        return int256(amount);
    }

    /// @dev |x| without overflow for type(int256).min.
    function _abs(int256 x) internal pure returns (uint256) {
        unchecked {
            return x >= 0 ? uint256(x) : uint256(-(x + 1)) + 1;
        }
    }

    /// @dev `token.decimals()`, or a revert if it does not answer with a number.
    function _readDecimals(address token) internal view returns (uint256 decimals) {
        (bool ok, bytes memory data) = token.staticcall(abi.encodeWithSignature("decimals()"));
        if (!ok || data.length < 32) revert InvalidToken(token);
        decimals = abi.decode(data, (uint256));
    }

    /// @dev Transient-storage reentrancy guard on every chain (the target EVM is Prague).
    function _useTransientReentrancyGuardOnlyOnMainnet() internal pure override returns (bool) {
        return false;
    }
    // forge-lint: disable-end(unsafe-typecast)
}
